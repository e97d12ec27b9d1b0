"""Another machine, described by the user so the Models page plans for it (as `deskseek plan --gpu
--ram --cores --bandwidth` does on the command line): the parsing is the command line's
(runtime.cli.machine), the HardwareInfo is built by the same `described`. The last description is
kept in the store's settings so the dialog opens on it."""
from __future__ import annotations

import argparse
import json
from dataclasses import asdict, dataclass

from runtime.cli.machine import described, parse_gpu, parse_rate, parse_size
from runtime.hardware import HardwareInfo, probe

SETTING_KEY = "models.described_machine"


class DescriptionError(ValueError):
    """field: which entry is wrong ("gpu", "ram", "bandwidth"); the message says why."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class MachineDescription:
    gpu_name: str = ""  # "": no GPU
    gpu_bytes: int = 0
    ram_bytes: int | None = None  # None: this computer's
    cores: int | None = None
    bandwidth_bytes_s: float | None = None
    gpu_cc: tuple[int, int] = (8, 9)

    @classmethod
    def from_entries(cls, gpu_name: str, gpu_memory: str, ram: str, cores: int | None,
                     bandwidth: str) -> MachineDescription:
        """The dialog's fields, checked by the command line's parsers; empty GPU fields mean no GPU,
        an empty RAM or bandwidth means this computer's."""
        gpu_name, gpu_memory = gpu_name.strip(), gpu_memory.strip()
        name, gpu_bytes, cc = "", 0, (8, 9)
        if gpu_name or gpu_memory:
            if not gpu_memory:
                raise DescriptionError("gpu", f"give {gpu_name}'s memory, e.g. 24GiB")
            name, gpu_bytes, cc = _parsed(parse_gpu, "gpu", f"{gpu_name or 'GPU'}:{gpu_memory}")
        return cls(name, gpu_bytes,
                   _parsed(parse_size, "ram", ram) if ram.strip() else None,
                   cores or None,
                   _parsed(parse_rate, "bandwidth", bandwidth) if bandwidth.strip() else None,
                   cc)

    def hardware(self, probed: HardwareInfo) -> HardwareInfo:
        gpus = [(self.gpu_name, self.gpu_bytes, self.gpu_cc)] if self.gpu_name else []
        return described(probed, gpus, self.ram_bytes, self.cores, self.bandwidth_bytes_s)


def _parsed(parser, field: str, text: str):
    try:
        return parser(text)
    except argparse.ArgumentTypeError as exc:
        raise DescriptionError(field, str(exc)) from None


def hardware_for(description: MachineDescription | None) -> HardwareInfo:
    """This computer, probed, or the described one (probing stays off the GUI thread: call it there)."""
    probed = probe()
    return description.hardware(probed) if description is not None else probed


def load_description(store) -> MachineDescription | None:
    try:
        value = json.loads(store.get_setting(SETTING_KEY) or "null")
        return MachineDescription(**{**value, "gpu_cc": tuple(value.get("gpu_cc", (8, 9)))}) if value else None
    except (json.JSONDecodeError, TypeError, AttributeError):  # a damaged setting: the dialog starts empty
        return None


def save_description(store, description: MachineDescription) -> None:
    store.set_setting(SETTING_KEY, json.dumps(asdict(description)))
