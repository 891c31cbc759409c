; Inno Setup script for the Windows installer. Built by .github/workflows/package.yml on a
; hosted Windows runner (Inno Setup does not run on the Linux development machine):
;   pyinstaller --noconfirm --clean build.spec
;   iscc /DAppVersion=<version> packaging\windows\review-desk.iss
; The installer puts the one-folder app in Program Files (per-user install allowed), adds a
; Start menu entry, and leaves the user's data (database, settings, logs) alone on uninstall.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif

[Setup]
AppId={{6C3C2C1E-8B0E-4E44-9C7B-1E2D3F4A5B6C}
AppName=Review Desk
AppVersion={#AppVersion}
AppPublisher=Review Desk
DefaultDirName={autopf}\Review Desk
DefaultGroupName=Review Desk
PrivilegesRequiredOverridesAllowed=dialog
OutputDir=..\..\dist
OutputBaseFilename=review-desk-{#AppVersion}-setup
SetupIconFile=..\..\build\icons\review-desk.ico
UninstallDisplayIcon={app}\review-desk.exe
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
ArchitecturesInstallIn64BitMode=x64compatible

[Files]
Source: "..\..\dist\review-desk\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\Review Desk"; Filename: "{app}\review-desk.exe"
Name: "{autodesktop}\Review Desk"; Filename: "{app}\review-desk.exe"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "Create a desktop shortcut"; Flags: unchecked

[Run]
Filename: "{app}\review-desk.exe"; Description: "Start Review Desk"; Flags: nowait postinstall skipifsilent
