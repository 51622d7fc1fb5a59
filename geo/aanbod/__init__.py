"""What is offered (aanbod): activities, Lief en Leedstraten, Welzijn op recept, Buurtmobiel, OV.

* :func:`import_file` reads and validates a partner file (a report per row);
* :class:`GeoPackageRegister` stores accepted rows atomically, with history and undo;
* :func:`load_aanbod` reads a dataset's aanbod (register, or partner files read-only).
"""

from __future__ import annotations

from geo.aanbod.importer import ImportResult, import_file, laag_name
from geo.aanbod.read import Aanbod, load_aanbod, register_path
from geo.aanbod.register import AanbodRegister, GeoPackageRegister

__all__ = [
    "Aanbod",
    "AanbodRegister",
    "GeoPackageRegister",
    "ImportResult",
    "import_file",
    "laag_name",
    "load_aanbod",
    "register_path",
]
