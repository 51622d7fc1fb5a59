"""Over de data: sources, years, boundary vintages, methods, assumptions, licences."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages._common import code, current, demo_banner, md, page_header
from geo.aanbod.schema import LAYER_LABELS
from geo.present.format import fmt_num, fmt_pct
from geo.present.maps import SIMPLIFY_M
from geo.settings import AnalysisSettings

dataset, aanbod, choice = current()
page_header("Over de data")
demo_banner(dataset)
if dataset.demo:
    st.markdown(
        "Deze datamap is de **demo**: een verzonnen stad met gegenereerde cijfers in precies "
        "het formaat van de echte bestanden (RIVM 50090NED, CBS Kerncijfers en Nabijheid, "
        "wijk- en buurtgrenzen). Zo is alles te proberen zonder echte gegevens. Kies in de "
        "zijbalk een andere datamap voor echte cijfers."
    )

st.header("Bronnen in deze datamap", anchor=False)
st.caption(f"{md(dataset.titel)} — {code(dataset.path)}")
sources = dataset.sources.drop(columns=["zonder_vorm"], errors="ignore")
st.dataframe(
    sources.rename(
        columns={
            "bestand": "Bestand",
            "soort": "Soort",
            "titel": "Titel",
            "jaar": "Jaar",
            "indeling": "Gebiedsindeling",
            "rijen": "Rijen",
            "bron": "Bron",
        }
    ),
    hide_index=True,
    width="stretch",
)
areas = dataset.areas
vintages = (
    areas.groupby(["niveau", "indeling"], observed=True).size().rename("gebieden").reset_index()
)
left, right = st.columns(2)
with left:
    st.markdown("**Gebiedsgrenzen**")
    st.dataframe(
        vintages.rename(
            columns={"niveau": "Niveau", "indeling": "Indeling (jaar)", "gebieden": "Aantal"}
        ),
        hide_index=True,
    )
with right:
    st.markdown("**Edities van de Gezondheidsmonitor**")
    st.markdown(", ".join(str(y) for y in dataset.years) or "geen")
    st.caption(
        "De RIVM-tabel gebruikt de gebiedsindeling van 2020 voor alle edities. Wijken en "
        "buurten waarvan de code niet in de grenzen voorkomt, staan hieronder."
    )
if len(dataset.unmatched):
    with st.expander(f"{len(dataset.unmatched)} code(s) niet gekoppeld aan een grens"):
        st.dataframe(dataset.unmatched, hide_index=True, width="stretch")
for notice in dataset.notices:
    st.caption(f"Melding: {md(notice)}")

st.header("Aanbod", anchor=False)
counts = pd.DataFrame(
    {
        "Laag": [LAYER_LABELS.get(name, name) for name in aanbod.layers],
        "Rijen": [len(f) for f in aanbod.layers.values()],
    }
)
st.dataframe(counts, hide_index=True)
st.caption(
    "Uit de partnerbestanden in `aanbod/` (alleen lezen)."
    if aanbod.read_only
    else "Uit het register `aanbod/register.gpkg` (met geschiedenis; wijzigen op de pagina Aanbod)."
)

settings = AnalysisSettings()
steps = " / ".join(fmt_num(w, 2) for _, w in settings.steps)
st.header("Methoden en aannames", anchor=False)
st.markdown(
    f"""
- **Eenzaamheid**: RIVM/GGD'en/CBS Gezondheidsmonitor Volwassenen en Ouderen (tabel 50090NED):
  kleinegebiedsschattingen in procenten van de leeftijdsgroep (18+, 65+, 18-65). Een punt (`.`)
  in de bron betekent *niet gepubliceerd* (te weinig respondenten): grijs op de kaart, nooit
  als nul, met het cijfer van de wijk in de toelichting. Het landelijk cijfer (NL01) komt uit
  de bron of uit de ingebouwde landelijke referentie.
- **Kaartklassen**: natuurlijke klassegrenzen (Fisher-Jenks, mapclassify) bij hoogstens 300
  gebieden, anders kwantielen; vijf klassen.
- **Doelgroepen**: 65-plussers geteld (CBS Kerncijfers); jongvolwassenen (18-27) geschat als
  {fmt_pct(100 * settings.young_adult_share_15_24, 0)} van de 15-24-jarigen en
  {fmt_pct(100 * settings.young_adult_share_25_44, 0)} van de 25-44-jarigen; alleenstaande
  ouderen en migrantenouderen geschat (de methode staat bij elk getal in het gebiedsprofiel).
- **Behoefte**: inwoners × percentage van de best passende leeftijdsgroep; ontbreekt een
  buurtcijfer, dan dat van de wijk (of gemeente), gemarkeerd. Groepen kleiner dan
  {settings.min_group_size} inwoners zijn onzeker.
- **Bereikbaar aanbod**: E2SFCA met afstandsverval ({steps}), gerekend vanaf waar mensen
  wonen: CBS-vierkanten van 100 m of BAG-adressen in `bevolking/` als die er zijn, anders één
  punt per buurt. Met een loopnetwerk in `netwerk/` (OpenStreetMap) over de straten:
  {fmt_num(dict(settings.catchment_minutes)["ouderen"], 0)} minuten lopen voor ouderen bij
  {fmt_num(settings.walking_speed_kmh, 1)} km/u (met rollator
  {fmt_num(settings.rollator_speed_kmh, 1)} km/u) en
  {fmt_num(dict(settings.catchment_minutes)["jongvolwassenen"], 0)} minuten voor
  jongvolwassenen bij {fmt_num(settings.young_adult_speed_kmh, 1)} km/u; zonder netwerk
  {fmt_num(settings.catchment("ouderen"), 0)} m voor ouderen en
  {fmt_num(settings.catchment("jongvolwassenen"), 0)} m voor jongvolwassenen, hemelsbreed ×
  {fmt_num(settings.detour_factor, 1)} omrijfactor; wie in een Buurtmobiel-gebied woont:
  {fmt_num(settings.buurtmobiel_catchment_m, 0)} m. Naast het aanbod per 1.000 eenzamen
  (concurrentie om plaatsen) telt de *dekking*: eenzamen met minstens één passende activiteit
  binnen bereik.
- **Hiaat**: eenzamen zonder (naar verhouding) passend aanbod binnen bereik, verhoogd met de
  vervoersarmoede (× 1 + {fmt_num(settings.transport_weight_in_gap, 1)} × index). Wijken en
  aandachtsgebieden tellen mensen op en berekenen percentages opnieuw.
- **Vervoersarmoede**: weinig auto's, ver van het OV, weinig vertrekken, veel 65-plussers,
  moeite met rondkomen en geen Buurtmobiel, geschaald 0-1 en gewogen.
- **Hot spots**: lokale Moran's I en Getis-Ord Gi* (PySAL) met
  {fmt_num(settings.permutations, 0)} permutaties en een Benjamini-Hochberg-correctie
  (FDR {fmt_pct(100 * settings.fdr_alpha, 0)}).
- **Kaartweergave**: rekenen in RD (EPSG:28992), tonen in WGS84; grenzen voor de kaart
  vereenvoudigd met {fmt_num(SIMPLIFY_M, 0)} m tolerantie (topologie blijft behouden).
"""
)

st.header("Licenties en naamsvermelding", anchor=False)
st.markdown(
    """
- Eenzaamheid en gezondheid: **Bron: RIVM, GGD'en, CBS (Gezondheidsmonitor Volwassenen en
  Ouderen)** — CC BY 4.0.
- Bevolking, huishoudens, auto's en voorzieningen: **Bron: CBS** (Kerncijfers wijken en
  buurten, Nabijheid voorzieningen, Wijk- en buurtkaart via PDOK) — CC BY 4.0.
- Wijk- en buurtgrenzen van Utrecht: **Gemeente Utrecht** (open data).
- Achtergrondkaart: **© OpenStreetMap-bijdragers** (ODbL); zonder internet blijft de
  achtergrond leeg, de gegevens verschijnen wel.
- Kaartsoftware, meegeleverd zodat de kaart zonder internet werkt: Leaflet (BSD-2-Clause),
  Leaflet.markercluster (MIT), jQuery (MIT); de licenties staan in `static/map/`.
- Wijkkompas zelf: EUPL-1.2.
"""
)
