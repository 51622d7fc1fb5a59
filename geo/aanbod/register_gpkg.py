"""The register as a GeoPackage file (``aanbod/register.gpkg``).

Interim: still the whole-file rewrite while the transactional backend is built (next
commit); the account methods are not there yet.
"""

from __future__ import annotations

import builtins
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.aanbod.accounts import Account, actor_name
from geo.aanbod.register import AanbodRegister
from geo.aanbod.register_rewrite import WholeFileRewriteRegister


class GeoPackageRegister(WholeFileRewriteRegister, AanbodRegister):
    """The register as a GeoPackage file."""

    def __init__(self, path: str | Path) -> None:
        super().__init__(path)

    @property
    def exists(self) -> bool:  # noqa: D102
        return self.path.exists()

    @property
    def location(self) -> str:  # noqa: D102
        return str(self.path)

    def list(self, laag: str) -> gpd.GeoDataFrame:  # noqa: D102
        frame = super().list(laag)
        frame["versie"] = 1
        return frame

    def add(  # noqa: D102
        self,
        laag: str,
        frame: gpd.GeoDataFrame,
        *,
        user: str | Account | None = None,
        wor_deelnemers: pd.DataFrame | None = None,
    ) -> builtins.list[str]:
        return super().add(laag, frame, user=actor_name(user), wor_deelnemers=wor_deelnemers)

    def update(  # type: ignore[override]  # noqa: D102
        self,
        laag: str,
        ident: str,
        changes: dict[str, object],
        *,
        user: str | Account | None = None,
        versie: int | None = None,
    ) -> int:
        super().update(laag, ident, changes, user=actor_name(user))
        return 1

    def remove(  # noqa: D102
        self, laag: str, ident: str, *, user: str | Account | None = None, versie: int | None = None
    ) -> None:
        super().remove(laag, ident, user=actor_name(user))

    def undo(self, *, user: str | Account | None = None) -> str:  # noqa: D102
        return super().undo(user=actor_name(user))

    def add_account(self, naam: str, **kwargs: object) -> Account:  # type: ignore[override]  # noqa: D102
        raise NotImplementedError

    def accounts(self) -> builtins.list[Account]:  # noqa: D102
        raise NotImplementedError

    def account(self, naam: str) -> Account | None:  # noqa: D102
        raise NotImplementedError

    def account_by_email(self, email: str) -> Account | None:  # noqa: D102
        raise NotImplementedError

    def set_password(self, naam: str, password: str) -> None:  # noqa: D102
        raise NotImplementedError

    def remove_account(self, naam: str) -> None:  # noqa: D102
        raise NotImplementedError

    def login(self, naam: str, password: str) -> Account:  # noqa: D102
        raise NotImplementedError
