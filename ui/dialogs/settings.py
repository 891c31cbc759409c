"""The settings dialog: database, AI, CRM, polling and the undo window.

Secrets (AI key, CRM token, database password) go to the OS keyring and are never written to
the settings file; each "Test" button runs its check on a worker thread and says what it found.
The form scrolls inside the dialog, so Save and Cancel stay on a 1280×720 screen.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from app import connectivity
from app.crm.adapters import parse_client_adapters
from app.crm.hubspot import parse_deal_mapping
from app.database_address import split_password, with_password
from app.secrets import AI_API_KEY, CRM_TOKEN, DATABASE_PASSWORD, SecretsUnavailable, get_secret, set_secret
from app.settings import Settings
from ui.style import accent
from ui.tasks import TaskRunner

KEEP = "(unchanged)"


def _stored(name: str) -> str | None:
    """A secret from the keyring; None when there is none or no keyring (run on the I/O lane)."""
    try:
        return get_secret(name)
    except SecretsUnavailable:
        return None


def _result_label(name: str) -> QLabel:
    label = QLabel("")
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setAccessibleName(name)
    return label


LAPTOP_HEIGHT = 640  # 720 less the window frame and a panel


class SettingsDialog(QDialog):
    saved = Signal(object)  # the new Settings

    def __init__(
        self,
        settings: Settings,
        runner: TaskRunner,
        outbox_dir: Path,
        save: Callable[[Settings], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        accent(self)
        self.setWindowTitle("Settings")
        self.settings = settings
        self.runner = runner
        self.outbox_dir = outbox_dir
        self._save = save
        # A password still in the URL (a file the keyring could not take it from) is not shown.
        self._shown_url = split_password(settings.database_url)[0]
        self.database_url = QLineEdit(self._shown_url)
        self.database_url.setPlaceholderText("empty: SQLite in your data folder")
        self.database_url.setAccessibleName("Database URL")
        self.database_password = self._secret_field("Database password", DATABASE_PASSWORD)
        self.database_result = _result_label("Database test result")
        self.ai_base_url = QLineEdit(settings.ai_base_url)
        self.ai_base_url.setPlaceholderText("empty: OpenAI · Ollama: http://localhost:11434/v1")
        self.ai_base_url.setAccessibleName("AI server URL")
        self.ai_model = QLineEdit(settings.ai_model)
        self.ai_model.setAccessibleName("AI model")
        self.ai_key = self._secret_field("AI API key", AI_API_KEY)
        self.ai_key_env = QLineEdit(settings.ai_api_key_env)
        self.ai_key_env.setPlaceholderText("empty: the key in the keyring (recommended)")
        self.ai_key_env.setAccessibleName("Environment variable holding the AI key")
        self.ai_timeout = self._seconds(settings.ai_timeout_s, 1, 600, "AI timeout")
        self.ai_retries = self._count(settings.ai_max_retries, 0, 10, "AI retries")
        self.ai_concurrency = self._count(settings.ai_concurrency, 1, 64, "AI drafts at once")
        self.ai_temperature = QDoubleSpinBox()
        self.ai_temperature.setRange(0, 2)
        self.ai_temperature.setSingleStep(0.1)
        self.ai_temperature.setValue(settings.ai_temperature)
        self.ai_temperature.setAccessibleName("AI temperature")
        self.ai_output_mode = QComboBox()
        self.ai_output_mode.setAccessibleName("AI answer format")
        for value, label in (
            ("auto", "Automatic (best the server supports)"),
            ("json_schema", "Structured output (JSON schema)"),
            ("json_object", "JSON mode"),
            ("text", "Plain text, parsed"),
        ):
            self.ai_output_mode.addItem(label, value)
        self.ai_output_mode.setCurrentIndex(max(0, self.ai_output_mode.findData(settings.ai_output_mode)))
        self.ai_redact = QCheckBox("Replace phone numbers, emails and addresses before text leaves the desk")
        self.ai_redact.setChecked(settings.ai_redact_pii)
        self.ai_redact.setAccessibleName("Redact personal data sent to the AI")
        self.ai_result = _result_label("AI test result")
        self.crm_adapter = QComboBox()
        self.crm_adapter.setAccessibleName("CRM adapter")
        for value, label in (("outbox", "Local outbox folder"), ("hubspot", "HubSpot"), ("webhook", "Signed webhook")):
            self.crm_adapter.addItem(label, value)
        self.crm_adapter.setCurrentIndex(max(0, self.crm_adapter.findData(settings.crm_adapter)))
        self.crm_url = QLineEdit(settings.crm_base_url)
        self.crm_url.setAccessibleName("CRM or webhook URL")
        self.crm_token = self._secret_field("CRM token", CRM_TOKEN)
        self.crm_per_client = QLineEdit(settings.crm_client_adapters)
        self.crm_per_client.setPlaceholderText("e.g. Brightline HVAC = hubspot; Cedar Roofing Co = outbox")
        self.crm_per_client.setAccessibleName("CRM adapter per client")
        self.hubspot_deals = QLineEdit(settings.hubspot_deal_mapping)
        self.hubspot_deals.setPlaceholderText("e.g. Brightline HVAC = sales/qualifiedtobuy/77")
        self.hubspot_deals.setAccessibleName("HubSpot pipeline, stage and owner per client")
        self.crm_result = _result_label("CRM test result")
        self.poll_interval = self._seconds(settings.poll_interval_s, 0.5, 3600, "Poll interval")
        self.undo_window = self._seconds(settings.undo_window_s, 0, 3600, "Undo window")
        self.problem = _result_label("Problem saving")

        database = QGroupBox("Database")
        form = QFormLayout(database)
        form.addRow("U&RL:", self._with_test(self.database_url, self._test_database))
        form.addRow("Pass&word:", self.database_password)
        form.addRow("", self.database_result)
        form.addRow("", QLabel("A new database URL takes effect when the desk restarts."))
        ai = QGroupBox("AI drafting")
        form = QFormLayout(ai)
        form.addRow("&Server URL:", self.ai_base_url)
        form.addRow("&Model:", self.ai_model)
        form.addRow("API &key:", self._with_test(self.ai_key, self._test_ai))
        form.addRow("", self.ai_result)
        form.addRow("Key from variabl&e:", self.ai_key_env)
        form.addRow("&Wait for an answer:", self.ai_timeout)
        form.addRow("Retr&ies:", self.ai_retries)
        form.addRow("Drafts at &once:", self.ai_concurrency)
        form.addRow("Tem&perature:", self.ai_temperature)
        form.addRow("Answer &format:", self.ai_output_mode)
        form.addRow("Pri&vacy:", self.ai_redact)
        crm = QGroupBox("CRM handoffs")
        form = QFormLayout(crm)
        form.addRow("&Adapter:", self.crm_adapter)
        form.addRow("E&ndpoint:", self.crm_url)
        form.addRow("&Token:", self._with_test(self.crm_token, self._test_crm))
        form.addRow("", self.crm_result)
        form.addRow("Per c&lient:", self.crm_per_client)
        form.addRow("HubSpot &deals:", self.hubspot_deals)
        desk = QGroupBox("Desk")
        form = QFormLayout(desk)
        form.addRow("Poll ever&y:", self.poll_interval)
        form.addRow("&Undo window:", self.undo_window)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        body = QWidget()
        column = QVBoxLayout(body)
        for box in (database, ai, crm, desk):
            column.addWidget(box)
        scroll = QScrollArea()
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self._fit_to_screen(body)

    # --- building blocks ----------------------------------------------------------------

    def _fit_to_screen(self, body: QWidget) -> None:
        """As large as the form wants, within the screen's free area (the rest scrolls)."""
        free = self.screen().availableGeometry()
        bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        room = 40  # the dialog's margins, the problem line and the buttons, with a little air
        hint = body.sizeHint()
        # Never taller than a 1280×720 laptop leaves room for: the same dialog on every screen.
        height = min(hint.height() + 3 * room, free.height() - 2 * room, LAPTOP_HEIGHT)
        self.resize(min(hint.width() + bar + room, free.width()), height)

    @staticmethod
    def _secret_field(name: str, key: str) -> QLineEdit:
        field = QLineEdit()
        field.setEchoMode(QLineEdit.EchoMode.Password)
        field.setAccessibleName(name)
        field.setPlaceholderText("asking the system keyring…")
        field.setProperty("secret_name", key)
        return field

    async def load(self) -> None:
        """Say which secrets the keyring holds (asked on the I/O lane: a keyring may prompt)."""
        for field in (self.ai_key, self.crm_token, self.database_password):
            stored = await self.runner.io(_stored, str(field.property("secret_name")))
            field.setPlaceholderText("stored in the system keyring" if stored else "not set")

    @staticmethod
    def _seconds(value: float, low: float, high: float, name: str) -> QDoubleSpinBox:
        box = QDoubleSpinBox()
        box.setRange(low, high)
        box.setDecimals(1)
        box.setSuffix(" s")
        box.setValue(value)
        box.setAccessibleName(name)
        return box

    @staticmethod
    def _count(value: int, low: int, high: int, name: str) -> QSpinBox:
        box = QSpinBox()
        box.setRange(low, high)
        box.setValue(value)
        box.setAccessibleName(name)
        return box

    @staticmethod
    def _with_test(field: QWidget, test: Callable[[], None]) -> QWidget:
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(field, 1)
        button = QPushButton("Test")
        button.setAccessibleName(f"Test {field.accessibleName()}")
        button.clicked.connect(test)
        layout.addWidget(button)
        return row

    # --- tests (off the GUI thread) ------------------------------------------------------

    def _run_check(self, label: QLabel, check: Callable[[], str]) -> None:
        label.setText("Testing…")

        async def run() -> None:
            try:
                label.setText("✓ " + await self.runner.io(check))
            except connectivity.CheckFailed as exc:
                label.setText(f"✗ {exc}")

        self.runner.spawn(run(), "testing a connection")

    @staticmethod
    def _secret(field: QLineEdit) -> Callable[[], str | None]:
        """The typed secret, else (read when the test runs, on the I/O lane) the keyring's."""
        typed, name = field.text().strip(), str(field.property("secret_name"))
        return lambda: typed or _stored(name)

    def _typed_database_password(self) -> str:
        """The password typed in its field, else one typed into the URL."""
        return self.database_password.text() or split_password(self.database_url.text().strip())[1] or ""

    def _test_database(self) -> None:
        url = self.database_url.text().strip() or self.settings.database_url
        if not url:
            self.database_result.setText("✓ The built-in SQLite database needs no test.")
            return
        typed, stored = self._typed_database_password(), self._secret(self.database_password)
        self._run_check(
            self.database_result, lambda: connectivity.check_database(with_password(url, typed or stored()))
        )

    def _test_ai(self) -> None:
        base, model = self.ai_base_url.text().strip(), self.ai_model.text().strip()
        variable = self.ai_key_env.text().strip()
        typed = self.ai_key.text().strip()
        key = (lambda: typed or os.environ.get(variable) or None) if variable else self._secret(self.ai_key)
        self._run_check(self.ai_result, lambda: connectivity.check_ai(base, model, key()))

    def _test_crm(self) -> None:
        adapter = self.crm_adapter.currentData()
        if adapter == "outbox":
            self._run_check(self.crm_result, lambda: connectivity.check_outbox(self.outbox_dir))
            return
        url, token = self.crm_url.text().strip(), self._secret(self.crm_token)
        if adapter == "hubspot":
            self._run_check(self.crm_result, lambda: connectivity.check_hubspot(url, token()))
            return
        self._run_check(self.crm_result, lambda: connectivity.check_http(url, token()))

    # --- saving -----------------------------------------------------------------------

    def _database_url(self) -> str:
        """The URL for the settings file: without a password, unless the file held one the
        keyring could not take and the address is unchanged."""
        typed = self.database_url.text().strip()
        if typed == self._shown_url and not self.database_password.text():
            return self.settings.database_url
        return split_password(typed)[0]

    def values(self) -> Settings:
        return replace(
            self.settings,
            database_url=self._database_url(),
            database_password_in_keyring=self.settings.database_password_in_keyring
            or bool(self._typed_database_password()),
            ai_base_url=self.ai_base_url.text().strip(),
            ai_model=self.ai_model.text().strip() or self.settings.ai_model,
            ai_api_key_env=self.ai_key_env.text().strip(),
            ai_key_in_keyring=self.settings.ai_key_in_keyring or bool(self.ai_key.text().strip()),
            ai_timeout_s=self.ai_timeout.value(),
            ai_max_retries=self.ai_retries.value(),
            ai_concurrency=self.ai_concurrency.value(),
            ai_temperature=round(self.ai_temperature.value(), 2),
            ai_output_mode=str(self.ai_output_mode.currentData()),
            ai_redact_pii=self.ai_redact.isChecked(),
            crm_adapter=str(self.crm_adapter.currentData()),
            crm_base_url=self.crm_url.text().strip(),
            crm_client_adapters=self.crm_per_client.text().strip(),
            hubspot_deal_mapping=self.hubspot_deals.text().strip(),
            poll_interval_s=max(0.5, self.poll_interval.value()),
            undo_window_s=self.undo_window.value(),
        )

    def _accept(self) -> None:
        for text, parse in (
            (self.crm_per_client.text(), parse_client_adapters),
            (self.hubspot_deals.text(), parse_deal_mapping),
        ):
            try:
                parse(text)
            except ValueError as exc:
                self.problem.setText(str(exc))
                return
        secrets = {
            str(f.property("secret_name")): f.text().strip() for f in (self.ai_key, self.crm_token) if f.text().strip()
        }
        if self._typed_database_password():
            secrets[DATABASE_PASSWORD] = self._typed_database_password()
        self.problem.setText("Saving…")
        self.runner.spawn(self._store(secrets, self.values()), "saving the settings")

    async def _store(self, secrets: dict[str, str], new: Settings) -> None:
        """Secrets to the keyring, then the settings file, on the I/O lane; the dialog closes
        once both are written (a refusal keeps it open, saying why)."""
        try:
            for name, value in secrets.items():
                await self.runner.io(set_secret, name, value)
            await self.runner.io(self._save, new)
        except SecretsUnavailable as exc:
            self.problem.setText(str(exc))
            return
        except OSError as exc:
            self.problem.setText(f"The settings could not be saved: {exc.strerror}")
            return
        self.problem.setText("")
        self.saved.emit(new)
        self.accept()
