"""Which machine the Models page plans for: this computer, or another one the user describes (GPU
name and memory, RAM, free cores, RAM bandwidth) — the same description as `deskseek plan --gpu
--ram --cores --bandwidth`, parsed by the same code (app.models.machine_description)."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSpinBox,
    QVBoxLayout, QWidget,
)

from app.models.machine_description import (
    DescriptionError, MachineDescription, load_description, save_description,
)
from runtime.planning.words import size


class MachineDialog(QDialog):
    """Accepted only with a description the parsers take; a bad entry gets a sentence, the dialog stays."""

    def __init__(self, last: MachineDescription | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Plan for another machine"))
        self.description: MachineDescription | None = None
        self.gpu_name = QLineEdit()
        self.gpu_name.setPlaceholderText(self.tr("e.g. RTX 4090 (empty: no GPU)"))
        self.gpu_memory = QLineEdit()
        self.gpu_memory.setPlaceholderText(self.tr("e.g. 24GiB"))
        self.ram = QLineEdit()
        self.ram.setPlaceholderText(self.tr("e.g. 64GiB (empty: this computer's)"))
        self.cores = QSpinBox()
        self.cores.setRange(0, 1024)
        self.cores.setSpecialValueText(self.tr("as this computer"))
        self.bandwidth = QLineEdit()
        self.bandwidth.setPlaceholderText(self.tr("e.g. 400GB/s (optional: sets the speed of experts in RAM)"))
        if last is not None:
            self.gpu_name.setText(last.gpu_name)
            self.gpu_memory.setText(size(last.gpu_bytes) if last.gpu_name else "")
            self.ram.setText(size(last.ram_bytes) if last.ram_bytes else "")
            self.cores.setValue(last.cores or 0)
            self.bandwidth.setText(f"{last.bandwidth_bytes_s / 1e9:g}GB/s" if last.bandwidth_bytes_s else "")
        self.problems = QLabel()
        self.problems.setObjectName("notice")
        self.problems.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("GPU"), self.gpu_name)
        form.addRow(self.tr("GPU memory"), self.gpu_memory)
        form.addRow(self.tr("RAM"), self.ram)
        form.addRow(self.tr("Free CPU cores"), self.cores)
        form.addRow(self.tr("RAM bandwidth"), self.bandwidth)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problems)
        layout.addWidget(buttons)

    def accept(self) -> None:
        try:
            self.description = MachineDescription.from_entries(
                self.gpu_name.text(), self.gpu_memory.text(), self.ram.text(), self.cores.value(),
                self.bandwidth.text())
        except DescriptionError as exc:
            field = {"gpu": self.tr("GPU"), "ram": self.tr("RAM"), "bandwidth": self.tr("RAM bandwidth")}[exc.field]
            self.problems.setText(self.tr("%1: %2").replace("%1", field).replace("%2", str(exc)))
            return
        super().accept()


class MachineChoice(QWidget):
    """"Plan for: This computer ▾ / Another machine…", and while another machine is chosen a line
    saying so with a button back to this computer."""
    changed = Signal(object)  # MachineDescription, or None for this computer

    def __init__(self, store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.description: MachineDescription | None = None
        self.combo = QComboBox()
        self.combo.addItems([self.tr("This computer"), self.tr("Another machine…")])
        self.combo.activated.connect(self._activated)
        self.planned_for = QLabel()
        self.planned_for.hide()
        self.this_computer = QPushButton(self.tr("This computer"))
        self.this_computer.clicked.connect(lambda: self.choose(None))
        self.this_computer.hide()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel(self.tr("Plan for:")))
        row.addWidget(self.combo)
        row.addWidget(self.planned_for)
        row.addWidget(self.this_computer)
        row.addStretch(1)

    def _activated(self, index: int) -> None:
        if index == 0:
            self.choose(None)
            return
        dialog = MachineDialog(self.description or load_description(self.store), self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            save_description(self.store, dialog.description)
            self.choose(dialog.description)
        else:  # cancelled: the page keeps planning for what it did
            self.combo.setCurrentIndex(1 if self.description else 0)

    def choose(self, description: MachineDescription | None) -> None:
        self.description = description
        self.combo.setCurrentIndex(1 if description else 0)
        self.planned_for.setText(self.tr("Planned for: %1").replace("%1", self.label(description)) if description else "")
        self.planned_for.setVisible(description is not None)
        self.this_computer.setVisible(description is not None)
        self.changed.emit(description)

    def label(self, d: MachineDescription) -> str:
        """"RTX 4090 24.0 GiB, 384.0 GiB RAM, 16 cores": what was described; the rest is this computer's."""
        parts = [f"{d.gpu_name} {size(d.gpu_bytes)}" if d.gpu_name else self.tr("no GPU")]
        if d.ram_bytes:
            parts.append(self.tr("%1 RAM").replace("%1", size(d.ram_bytes)))
        if d.cores:
            parts.append(self.tr("%1 cores").replace("%1", str(d.cores)))
        if d.bandwidth_bytes_s:
            parts.append(self.tr("RAM at %1 GB/s").replace("%1", f"{d.bandwidth_bytes_s / 1e9:g}"))
        return ", ".join(parts)
