"""Aanbod: view what is offered; logged-in editors upload, check, store, edit and undo."""

from __future__ import annotations

import hmac
import tempfile
from pathlib import Path

import streamlit as st

from app_pages._common import cached_aanbod, cached_dataset, current, demo_banner, password
from geo.aanbod import GeoPackageRegister, import_file, register_path
from geo.aanbod.schema import LAYER_LABELS, LAYERS
from geo.errors import DataError

dataset, aanbod, choice = current()
st.title("Aanbod")
demo_banner(dataset)

laag = st.selectbox("Laag", list(LAYERS), format_func=LAYER_LABELS.get, key="aanbod_laag")
frame = aanbod.layers[laag]
st.caption(
    f"{len(frame)} rij(en)"
    + (" — alleen lezen: partnerbestanden, nog geen register" if aanbod.read_only else "")
)
st.dataframe(frame.drop(columns="geometry"), hide_index=True, width="stretch")
for name, report in aanbod.reports.items():
    with st.expander(f"Controlerapport {name}"):
        st.dataframe(report, hide_index=True, width="stretch")


def logged_in() -> bool:
    """Editors log in with the configured password (or an identity provider via st.login)."""
    if st.session_state.get("editor"):
        return True
    if getattr(st, "user", None) is not None and getattr(st.user, "is_logged_in", False):
        return True
    secret = password()
    if not secret:
        st.info(
            "Wijzigen is uitgeschakeld: er is geen wachtwoord ingesteld (Streamlit-secret "
            "`[wijkkompas] wachtwoord` of omgevingsvariabele `WIJKKOMPAS_WACHTWOORD`)."
        )
        return False
    with st.form("login"):
        typed = st.text_input("Wachtwoord om aanbod te wijzigen", type="password")
        if st.form_submit_button("Inloggen"):
            if hmac.compare_digest(typed.encode(), secret.encode()):
                st.session_state["editor"] = True
                st.rerun()
            st.error("Onjuist wachtwoord.")
    return False


st.divider()
st.subheader("Aanbod toevoegen of wijzigen")
if not logged_in():
    st.stop()

folder = str(choice["folder"])
register = GeoPackageRegister(register_path(folder))
st.caption(
    "Bestanden tot 25 MB (instelling `maxUploadSize`): CSV, Excel, GeoJSON. Eerst "
    "verschijnt het controlerapport; pas na bevestigen wordt opgeslagen."
)
upload = st.file_uploader(
    "Partnerbestand", type=["csv", "xlsx", "geojson", "json", "txt"], key="aanbod_upload"
)
if upload is not None:
    suffix = Path(upload.name).suffix
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"upload{suffix}"
        path.write_bytes(upload.getvalue())
        try:
            result = import_file(path, laag=laag, areas=dataset.areas, existing=register.list(laag))
        except DataError as exc:
            st.error(f"{upload.name}: {exc}")
            result = None
    if result is not None:
        counts = result.counts
        st.markdown(
            f"**Controlerapport {upload.name}:** {counts['accepted']} geaccepteerd, "
            f"{counts['warnings']} met waarschuwing, {counts['rejected']} afgewezen"
        )
        st.dataframe(result.report, hide_index=True, width="stretch")
        st.download_button(
            "Rapport downloaden (CSV)", result.report_csv(), file_name="controlerapport.csv"
        )
        if len(result.frame) and st.button(
            f"Bevestig: {len(result.frame)} rij(en) opslaan", type="primary"
        ):
            ids = register.add(
                laag,
                result.frame,
                user=st.session_state.get("gebruiker"),
                wor_deelnemers=result.wor_deelnemers,
            )
            cached_aanbod.clear()
            cached_dataset.clear()
            st.success(f"{len(ids)} rij(en) opgeslagen.")

if register.exists:
    stored = register.list(laag)
    if len(stored):
        with st.form("wijzigen"):
            ident = st.selectbox("Rij", list(stored["id"]), key="aanbod_id")
            veld = st.selectbox("Veld", [c for c in stored.columns if c not in ("id", "geometry")])
            waarde = st.text_input("Nieuwe waarde")
            change = st.form_submit_button("Wijzigen")
            remove = st.form_submit_button("Verwijderen")
        if change:
            register.update(laag, ident, {veld: waarde}, user="dashboard")
            cached_aanbod.clear()
            st.success(f"{ident}: {veld} gewijzigd.")
        if remove:
            register.remove(laag, ident, user="dashboard")
            cached_aanbod.clear()
            st.success(f"{ident} verwijderd.")
    if st.button("Laatste wijziging ongedaan maken"):
        try:
            st.success(register.undo(user="dashboard"))
            cached_aanbod.clear()
        except DataError as exc:
            st.warning(str(exc))
    with st.expander("Geschiedenis"):
        st.dataframe(
            register.history().drop(columns=["oud", "nieuw", "batch"]),
            hide_index=True,
            width="stretch",
        )
