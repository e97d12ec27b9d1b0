"""Settings > Local API server: serve the loaded model to other programs over an OpenAI-compatible API.

The tab edits the `api_*` fields of a Settings value (the dialog saves them): the switch, the port,
the listen address (anything but loopback is warned about), the bearer token (shown with Copy and
Regenerate; made when the server first starts), the web origins allowed to call it from a browser,
whether its conversations are saved in the history, and the URL to give a client.
"""
from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (QCheckBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSpinBox,
                               QWidget)

from app.settings import (API_LOOPBACK, LIMITS, Settings, api_url, is_listen_address, is_loopback,
                          is_web_origin, new_api_token, parse_origins)


class ApiSettingsTab(QWidget):
    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("apiSettings")
        self._token = settings.api_token
        self.enabled = QCheckBox(self.tr("Serve the loaded model to other programs (OpenAI-compatible API)"))
        self.port = QSpinBox()
        low, high = LIMITS["api_port"]
        self.port.setRange(int(low), int(high))
        self.host = QLineEdit()
        self.host.setPlaceholderText(API_LOOPBACK)
        self.host_warning = QLabel(self.tr(
            "Other computers can reach the server at this address (they still need the token). "
            "Use 127.0.0.1 to keep it on this computer."))
        self.host_warning.setObjectName("apiHostWarning")
        self.host_warning.setWordWrap(True)
        self.token = QLineEdit()
        self.token.setReadOnly(True)
        self.token.setPlaceholderText(self.tr("Made when the server first starts"))
        self.copy_token = QPushButton(self.tr("Copy"))
        self.regenerate = QPushButton(self.tr("Regenerate"))
        self.origins = QLineEdit()
        self.origins.setPlaceholderText(self.tr("None: web pages cannot call the server"))
        self.save_history = QCheckBox(self.tr("Save API conversations in the history"))
        self.url = QLineEdit()
        self.url.setReadOnly(True)
        self.copy_url = QPushButton(self.tr("Copy"))
        self._name_controls()
        self._lay_out()
        self.enabled.setChecked(settings.api_enabled)
        self.port.setValue(settings.api_port)
        self.host.setText(settings.api_host)
        self.origins.setText(" ".join(settings.api_origins))
        self.save_history.setChecked(settings.api_save_history)
        self._show_token()
        self._address_changed()
        self.host.textChanged.connect(self._address_changed)
        self.port.valueChanged.connect(self._address_changed)
        self.copy_token.clicked.connect(lambda: QGuiApplication.clipboard().setText(self._token))
        self.copy_url.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.url.text()))
        self.regenerate.clicked.connect(self._regenerate)

    def _name_controls(self) -> None:
        for widget, name in ((self.enabled, self.tr("Serve the loaded model")), (self.port, self.tr("Port")),
                             (self.host, self.tr("Listen address")), (self.token, self.tr("Token")),
                             (self.copy_token, self.tr("Copy the token")),
                             (self.regenerate, self.tr("Regenerate the token")),
                             (self.origins, self.tr("Allowed web origins")),
                             (self.save_history, self.tr("Save API conversations in the history")),
                             (self.url, self.tr("Address for clients")), (self.copy_url, self.tr("Copy the address"))):
            widget.setAccessibleName(name)

    def _lay_out(self) -> None:
        form = QFormLayout(self)
        form.addRow(self.enabled)
        form.addRow(self.tr("Port"), self.port)
        form.addRow(self.tr("Listen address"), self.host)
        form.addRow(self.host_warning)
        token_row = QHBoxLayout()
        token_row.addWidget(self.token, 1)
        token_row.addWidget(self.copy_token)
        token_row.addWidget(self.regenerate)
        form.addRow(self.tr("Token"), token_row)
        form.addRow(self.tr("Allowed web origins"), self.origins)
        origins_hint = QLabel(self.tr("Sites whose pages may call the server from a browser, e.g. "
                                      "http://localhost:3000, separated by spaces."))
        origins_hint.setObjectName("settingsHint")
        origins_hint.setWordWrap(True)
        form.addRow(origins_hint)
        form.addRow(self.save_history)
        url_row = QHBoxLayout()
        url_row.addWidget(self.url, 1)
        url_row.addWidget(self.copy_url)
        form.addRow(self.tr("Address for clients"), url_row)
        how = QLabel(self.tr("Clients send the token as “Authorization: Bearer TOKEN” (the api_key of "
                             "OpenAI's libraries). Window turns and API requests take turns on the one model."))
        how.setObjectName("settingsHint")
        how.setWordWrap(True)
        form.addRow(how)

    # -- state ---------------------------------------------------------------------------------
    @property
    def token_text(self) -> str:
        return self._token

    def _show_token(self) -> None:
        self.token.setText(self._token)
        self.token.setCursorPosition(0)  # its start in view, as the user reads it
        self.copy_token.setEnabled(bool(self._token))

    def _regenerate(self) -> None:
        """A new token, kept when the dialog's OK is pressed; clients with the old one are refused."""
        self._token = new_api_token()
        self._show_token()

    def _host(self) -> str:
        return self.host.text().strip() or API_LOOPBACK

    def _address_changed(self) -> None:
        host = self._host()
        self.host_warning.setVisible(is_listen_address(host) and not is_loopback(host))
        self.url.setText(api_url(host, self.port.value()) if is_listen_address(host) else "")

    def values(self) -> dict:
        """The Settings fields this tab edits, as the form holds them now."""
        return {"api_enabled": self.enabled.isChecked(), "api_port": self.port.value(),
                "api_host": self._host(), "api_origins": parse_origins(self.origins.text()),
                "api_save_history": self.save_history.isChecked(), "api_token": self._token}

    def problems(self) -> list[str]:
        """What to fix in the free text, in the window's language (the rules: app.settings)."""
        found = []
        host = self._host()
        if not is_listen_address(host):
            found.append(self.tr("The listen address must be an IP address of this computer, such as "
                                 "127.0.0.1 (got “%1”).").replace("%1", host))
        for origin in parse_origins(self.origins.text()):
            if not is_web_origin(origin):
                found.append(self.tr("“%1” is not a web origin: write scheme://host[:port], like "
                                     "http://localhost:3000.").replace("%1", origin))
        return found
