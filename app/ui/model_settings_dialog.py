"""One model's own settings: context length, the GPU split the planner chose (shown, and
overridable), sampling and whether it takes a system prompt. Defaults are its catalog family's."""
from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import (
    QCheckBox, QDialog, QDialogButtonBox, QDoubleSpinBox, QFormLayout, QHBoxLayout, QLabel, QSpinBox,
    QVBoxLayout, QWidget,
)

from app.models.catalog import CatalogError, load_catalog
from app.models.model_settings import (
    LIMITS, ModelSettings, defaults_for, forget_model_settings, match_entry, save_model_settings,
    settings_for_model,
)
from app.settings import Settings
from runtime.types import Plan


class _Optional(QWidget):
    """A whole number, or "automatic" (None) while the box is ticked."""

    def __init__(self, auto_text: str, maximum: int, parent=None) -> None:
        super().__init__(parent)
        self.auto = QCheckBox(auto_text)
        self.spin = QSpinBox()
        self.spin.setRange(0, maximum)
        self.auto.toggled.connect(lambda on: self.spin.setEnabled(not on))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.spin)
        row.addWidget(self.auto)

    def set(self, value: int | None) -> None:
        self.auto.setChecked(value is None)
        self.spin.setEnabled(value is not None)
        if value is not None:
            self.spin.setValue(value)

    def get(self) -> int | None:
        return None if self.auto.isChecked() else self.spin.value()


class ModelSettingsDialog(QDialog):
    def __init__(self, store, path: str, name: str, general: Settings, plan: Plan | None = None,
                 n_layers: int = 200, plan_known: bool = True, parent=None) -> None:
        super().__init__(parent)
        self.store, self.path, self.general = store, path, general
        self.setWindowTitle(self.tr("Settings for %1").replace("%1", name))
        try:
            entry = match_entry(load_catalog(), path, name)
        except CatalogError:
            entry = None
        self.defaults = defaults_for(entry, general)
        form = QFormLayout()
        self.n_ctx = QSpinBox()
        self.n_ctx.setRange(0, int(LIMITS["n_ctx"][1]))
        self.n_ctx.setSingleStep(1024)
        self.n_ctx.setSpecialValueText(self.tr("General setting"))
        form.addRow(self.tr("Context length (tokens)"), self.n_ctx)
        self.gpu_layers = _Optional(self.tr("Planner's choice"), n_layers + 1)
        form.addRow(self.tr("Layers on the GPU"), self.gpu_layers)
        self.moe_layers = _Optional(self.tr("Planner's choice"), n_layers)
        form.addRow(self.tr("Layers with experts in RAM"), self.moe_layers)
        self.planned = QLabel(self._plan_text(plan) if plan_known else
                              self.tr("The planner's split is shown here once the Models page has looked at this model."))
        self.planned.setWordWrap(True)
        form.addRow("", self.planned)
        self.temperature = self._double("temperature", 0.05)
        form.addRow(self.tr("Temperature"), self.temperature)
        self.top_p = self._double("top_p", 0.05)
        form.addRow(self.tr("Top-p"), self.top_p)
        self.top_k = QSpinBox()
        self.top_k.setRange(*map(int, LIMITS["top_k"]))
        self.top_k.setSpecialValueText(self.tr("Off"))
        form.addRow(self.tr("Top-k"), self.top_k)
        self.repeat_penalty = self._double("repeat_penalty", 0.05)
        form.addRow(self.tr("Repeat penalty"), self.repeat_penalty)
        self.seed = _Optional(self.tr("New each reply"), 2 ** 31 - 1)
        form.addRow(self.tr("Seed"), self.seed)
        self.system_prompt = QCheckBox(self.tr("Send the system prompt as a system message"))
        self.system_prompt.setToolTip(self.tr("When off, the system prompt leads your first message instead, "
                                              "as DeepSeek-R1's model card asks."))
        form.addRow("", self.system_prompt)
        source = QLabel(self.tr("Defaults: %1").replace("%1", entry.family.source) if entry
                        else self.tr("Defaults: your general settings (this model is not in the catalog)."))
        source.setWordWrap(True)
        source.setObjectName("hint")
        self.problems = QLabel()
        self.problems.setWordWrap(True)
        self.problems.setObjectName("notice")
        self.problems.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
                                   | QDialogButtonBox.StandardButton.RestoreDefaults)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults).clicked.connect(
            lambda: self.show_settings(self.defaults))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(source)
        layout.addWidget(self.problems)
        layout.addWidget(buttons)
        self.show_settings(settings_for_model(store, path, general, name))

    def _double(self, name: str, step: float) -> QDoubleSpinBox:
        box = QDoubleSpinBox()
        box.setRange(*LIMITS[name])
        box.setDecimals(2)
        box.setSingleStep(step)
        return box

    def _plan_text(self, plan: Plan | None) -> str:
        if plan is None:
            return self.tr("The planner found no way to run it here; your numbers are tried as given.")
        if plan.device == "cpu" or plan.engine != "llama_cpp":
            return self.tr("The planner runs it on %1; the GPU numbers apply only on a GPU.").replace(
                "%1", plan.device)
        return (self.tr("The planner chose %1 layers on the GPU and experts of %2 layers in RAM.")
                .replace("%1", str(plan.n_gpu_layers)).replace("%2", str(plan.n_cpu_moe_layers)))

    def show_settings(self, s: ModelSettings) -> None:
        self.n_ctx.setValue(s.n_ctx)
        self.gpu_layers.set(s.n_gpu_layers)
        self.moe_layers.set(s.n_cpu_moe_layers)
        self.temperature.setValue(s.temperature)
        self.top_p.setValue(s.top_p)
        self.top_k.setValue(s.top_k)
        self.repeat_penalty.setValue(s.repeat_penalty)
        self.seed.set(s.seed)
        self.system_prompt.setChecked(s.system_prompt)

    def chosen(self) -> ModelSettings:
        return replace(ModelSettings(), n_ctx=self.n_ctx.value(), n_gpu_layers=self.gpu_layers.get(),
                       n_cpu_moe_layers=self.moe_layers.get(), temperature=round(self.temperature.value(), 2),
                       top_p=round(self.top_p.value(), 2), top_k=self.top_k.value(),
                       repeat_penalty=round(self.repeat_penalty.value(), 2), seed=self.seed.get(),
                       system_prompt=self.system_prompt.isChecked())

    def accept(self) -> None:
        chosen = self.chosen()
        if chosen == self.defaults:  # the defaults follow the catalog (and the general settings) from now on
            forget_model_settings(self.store, self.path)
            super().accept()
            return
        problems = save_model_settings(self.store, self.path, chosen)
        if problems:
            self.problems.setText(" ".join(problems))
            self.problems.show()
            return
        super().accept()
