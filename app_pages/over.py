"""Over de data: sources, years, boundary vintages, methods, assumptions, licences."""

from __future__ import annotations

import streamlit as st

from app_pages._common import current, demo_banner
from geo.settings import AnalysisSettings

dataset, aanbod, choice = current()
st.title("Over de data")
demo_banner(dataset)
st.subheader("Bronnen in deze datamap")
st.caption(f"{dataset.titel} — {dataset.path}")
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
if len(dataset.unmatched):
    with st.expander(f"{len(dataset.unmatched)} code(s) niet gekoppeld"):
        st.dataframe(dataset.unmatched, hide_index=True, width="stretch")
for notice in dataset.notices:
    st.caption(f"Melding: {notice}")

settings = AnalysisSettings()
st.subheader("Methoden en aannames")
st.markdown(
    f"""
- **Eenzaamheid**: RIVM/GGD'en/CBS Gezondheidsmonitor (tabel 50090NED), kleinegebiedsschattingen
  in procenten van de leeftijdsgroep. Een punt (`.`) in de bron betekent *niet gepubliceerd*
  (te weinig respondenten) en wordt grijs getoond, nooit als nul. Het landelijk cijfer (NL01)
  komt uit de bron of uit de ingebouwde landelijke referentie.
- **Doelgroepen**: 65-plussers geteld (CBS Kerncijfers); jongvolwassenen (18-27) geschat als
  {settings.young_adult_share_15_24:.0%} van 15-24 en {settings.young_adult_share_25_44:.0%}
  van 25-44 jaar; alleenstaande ouderen en migrantenouderen geschat (methode staat bij elk getal).
- **Behoefte**: inwoners × percentage van de best passende leeftijdsgroep; ontbreekt een
  buurtcijfer, dan het cijfer van de wijk (of gemeente), gemarkeerd.
- **Bereikbaar aanbod**: E2SFCA met afstandsverval (1 / 0,68 / 0,22),
  {settings.catchment("ouderen"):.0f} m lopen voor ouderen
  (ca. {settings.minutes(settings.catchment("ouderen")):.0f} min bij
  {settings.walking_speed_kmh} km/u), {settings.catchment("jongvolwassenen"):.0f} m voor
  jongvolwassenen, hemelsbreed × {settings.detour_factor}; Buurtmobiel-gebied:
  {settings.buurtmobiel_catchment_m:.0f} m.
- **Hiaat**: eenzamen zonder (naar verhouding) passend aanbod binnen bereik, verhoogd met de
  vervoersarmoede; wijken en gebieden tellen mensen op en berekenen percentages opnieuw.
- **Hot spots**: lokale Moran's I en Getis-Ord Gi* (PySAL), {settings.permutations}
  permutaties, Benjamini-Hochberg FDR {settings.fdr_alpha:.0%}.
""".replace("%", " %")
)
st.subheader("Licenties en naamsvermelding")
st.markdown("""
- Bron: RIVM, GGD'en, CBS (Gezondheidsmonitor Volwassenen en Ouderen) — CC BY 4.0.
- Bron: CBS — Kerncijfers wijken en buurten, Nabijheid voorzieningen, Wijk- en buurtkaart
  (PDOK) — CC BY 4.0.
- Gemeente Utrecht — wijk- en buurtgrenzen (open data).
- Achtergrondkaart © OpenStreetMap-bijdragers (ODbL). Kaartbibliotheek Leaflet (BSD-2).
""")
