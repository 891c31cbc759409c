"""The Reports window: KPI tiles, charts, the KPI table, the baseline-vs-now panel per lane and
the exports, for the filters chosen (``app.desk.reports`` decides what each person may see)."""

REPORTS_SHORTCUT = "Ctrl+Shift+K"  # K for KPIs; free in the desk (ui/menus.py lists every key)
