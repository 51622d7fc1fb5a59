"""What is offered (aanbod): activities, Lief en Leedstraten, Welzijn op recept, Buurtmobiel, OV.

* :func:`import_file` reads and validates a partner file (a report per row);
* :func:`open_register` opens the register (:class:`GeoPackageRegister` on a laptop, PostGIS
  with ``WIJKKOMPAS_DATABASE_URL``): rows changed in transactions, with history, undo,
  versions and accounts;
* :func:`load_aanbod` reads a dataset's aanbod (register, or partner files read-only).
"""

from __future__ import annotations

from geo.aanbod.accounts import Account
from geo.aanbod.backends import open_register, register_path
from geo.aanbod.importer import ImportResult, import_file, laag_name
from geo.aanbod.read import Aanbod, load_aanbod
from geo.aanbod.register import AanbodRegister
from geo.aanbod.register_gpkg import GeoPackageRegister

__all__ = [
    "Aanbod",
    "Account",
    "AanbodRegister",
    "GeoPackageRegister",
    "ImportResult",
    "import_file",
    "laag_name",
    "load_aanbod",
    "open_register",
    "register_path",
]
