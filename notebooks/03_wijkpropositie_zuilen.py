# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Een wijkpropositie voor Zuilen
#
# Een sociaal architect maakt voor een gebied een *wijkpropositie*: wat is er aan de hand,
# voor wie, wat is er al, en waar zit het gat. Dit notebook doet dat stap voor stap voor het
# aandachtsgebied **Zuilen** en levert twee bestanden op: een **GeoPackage** met alle
# kaartlagen (met QGIS-stijlen en bronnen) en het **rapport als PDF**.
#
# 1. het gebiedsprofiel (cijfers tegen gemeente en Nederland, trend, doelgroepen, aanbod,
#    vervoersarmoede);
# 2. de hiaten kiezen: voor welke doelgroep is het gat het grootst, en in welke buurten;
# 3. exporteren.
#
# **Parameters** (omgevingsvariabelen):
#
# * `WIJKKOMPAS_DATA` — de datamap (standaard de demo *Demostad*);
# * `WIJKKOMPAS_GEBIED` — het gebied (standaard *Zuilen* als dat een aandachtsgebied van de
#   dataset is, anders het eerste aandachtsgebied — de demo heeft geen Zuilen);
# * `WIJKKOMPAS_GROEP` — de doelgroep (standaard: die met het grootste hiaat in het gebied);
# * `WIJKKOMPAS_UITVOER` — waar de bestanden heen gaan (standaard `notebooks/uitvoer/`, dat
#   niet in git staat; nooit in de datamap).

# %%
import os
from pathlib import Path

import pandas as pd
import pyogrio
from IPython.display import Image, display

from geo.aanbod import load_aanbod
from geo.analysis.pipeline import analyse
from geo.analysis.profile import area_profile, resolve_area
from geo.export import collect_layers, file_name, restrict_to_area, write_export
from geo.io.folder import load_dataset
from geo.present.format import fmt_int, fmt_num, fmt_pct
from geo.report import build_report, reachable_aanbod, report_file_name, write_report
from geo.report.charts import area_map
from geo.settings import GROUP_LABELS, GROUPS

pd.set_option("display.max_columns", 20)
pd.set_option("display.width", 160)
pd.set_option("display.max_colwidth", 120)

dataset = load_dataset()  # $WIJKKOMPAS_DATA, else the bundled demo
aanbod = load_aanbod(dataset.path, areas=dataset.areas, gemeente_code=dataset.gemeente_code)
UTRECHT = dataset.gemeente_code == "GM0344"
print(f"{dataset.titel}: gemeente {dataset.gemeente_naam} ({dataset.gemeente_code})")
if dataset.demo:
    print("LET OP: DEMO — fictieve cijfers van een verzonnen stad, niet voor beleid.")

GEBIED = os.environ.get("WIJKKOMPAS_GEBIED")
if GEBIED:
    print(f"Gebied uit WIJKKOMPAS_GEBIED: {GEBIED}")
elif "Zuilen" in dataset.gebieden:
    GEBIED = "Zuilen"
    print("Gebied: Zuilen")
else:
    GEBIED = next(iter(dataset.gebieden))
    print(f"Deze dataset heeft geen aandachtsgebied Zuilen; we nemen het eerste: {GEBIED}")
UITVOER = Path(os.environ.get("WIJKKOMPAS_UITVOER") or "uitvoer")
UITVOER.mkdir(parents=True, exist_ok=True)

gebied = resolve_area(dataset, GEBIED)
buurtnamen = dataset.areas.set_index("code")["naam"]
print(f"{gebied.naam} ({gebied.kind}): {len(gebied.buurten)} buurten")
print(", ".join(buurtnamen[c] for c in gebied.buurten))
if UTRECHT and GEBIED == "Zuilen":
    assert gebied.kind == "gebied" and len(gebied.buurten) == 7

# %% [markdown]
# ## 1. Het gebiedsprofiel
#
# Eerst de hiatenanalyse voor alle vier doelgroepen van het Uitvoeringsplan (die hebben we
# straks ook nodig voor de kaartlagen), dan per groep het profiel van het gebied.

# %%
resultaten = {g: analyse(dataset, aanbod.layers, group=g) for g in GROUPS}
profielen = {
    g: area_profile(dataset, aanbod.layers, GEBIED, group=g, result=resultaten[g]) for g in GROUPS
}
profiel = profielen["ouderen"]
cijfers = pd.DataFrame(profiel["figures"])[
    ["label", "group", "value", "gemeente", "nederland", "status"]
].rename(
    columns={
        "label": "indicator",
        "group": "leeftijd",
        "value": GEBIED,
        "gemeente": dataset.gemeente_naam,
        "nederland": "Nederland",
    }
)
print(f"Eenzaamheid {profiel['year']} (%), bron: {profiel['figures'][0]['source']}")
display(cijfers)
print(
    "Trend eenzaam 18+:",
    ", ".join(f"{t['year']}: {fmt_pct(t['value'])}" for t in profiel["trend"]),
)
print("Doel 2026 (gemeente):", profiel["target"]["tekst"])
if UTRECHT and GEBIED == "Zuilen":
    eenzaam = cijfers[(cijfers["indicator"] == "Eenzaam") & (cijfers["leeftijd"] == "18+")]
    assert eenzaam[GEBIED].iloc[0] == 50.9  # recomputed from Zuilen's seven buurten

# %% [markdown]
# ### De doelgroepen in mensen
#
# Per groep: hoeveel inwoners (met de methode van de schatting), hoeveel daarvan eenzaam en
# ernstig eenzaam zijn.

# %%
doelgroepen = pd.DataFrame(profiel["need"]).merge(
    pd.DataFrame(profiel["populations"])[["group", "method"]], on="group"
)
doelgroepen = doelgroepen[
    ["label", "population", "lonely", "severely_lonely", "lonely_rate", "age_group", "method"]
].rename(
    columns={
        "label": "doelgroep",
        "population": "inwoners",
        "lonely": "eenzaam",
        "severely_lonely": "ernstig eenzaam",
        "lonely_rate": "% eenzaam",
        "age_group": "RIVM-leeftijd",
        "method": "schatting",
    }
)
display(doelgroepen.round(1))

# %% [markdown]
# ### Aanbod, bereikbaarheid en vervoer

# %%
vervoer = profiel["transport"]
dichtstbij = profiel["nearest"]
print(
    f"Vervoersarmoede-index {fmt_num(vervoer.get('index'), 2)} (0 = gunstig, 1 = ongunstig); "
    f"auto's per huishouden {fmt_num(vervoer.get('autos_per_huishouden'), 1)}"
)
if dichtstbij.get("welzijn_op_recept"):
    wor = dichtstbij["welzijn_op_recept"]
    print(f"Dichtstbijzijnde Welzijn op recept: {wor['naam']} ({fmt_int(wor['afstand_m'])} m)")
else:
    print("Geen Welzijn op recept-locatie in de gegevens.")
diensten = ", ".join(d["naam"] for d in dichtstbij["buurtmobiel"]) or "geen"
print("Buurtmobiel in het gebied:", diensten)
print(
    "Passend aanbod in het gebied zelf:",
    profiel["offer"]["suitable_inside_area"],
    "activiteit(en)",
)

# %% [markdown]
# ## 2. De hiaten kiezen
#
# Voor welke doelgroep is het gat in dit gebied het grootst? De hiaatscore telt eenzamen
# zonder (naar verhouding) passend aanbod, verhoogd met vervoersarmoede; de rang is die van
# het gebied tussen de aandachtsgebieden.

# %%
hiaten = pd.DataFrame(
    [
        {
            "groep": g,
            "doelgroep": GROUP_LABELS[g],
            "eenzaam": p["gap"].get("lonely"),
            "zonder passend aanbod": p["gap"].get("unserved"),
            "hiaatscore": p["gap"].get("gap_score"),
            "rang tussen de gebieden": p["gap"].get("rank"),
            "reden": p["gap"].get("reason"),
        }
        for g, p in profielen.items()
    ]
).set_index("groep")
display(hiaten.round(0))

GROEP = os.environ.get("WIJKKOMPAS_GROEP") or str(hiaten["hiaatscore"].idxmax())
print(f"Gekozen doelgroep: {GROUP_LABELS[GROEP]} — {hiaten.loc[GROEP, 'reden']}")

# %% [markdown]
# Binnen het gebied: de buurten met het grootste hiaat voor deze groep, met de reden. Dat
# zijn de plekken waar de propositie begint.

# %%
result = resultaten[GROEP]
binnen = result.buurten[result.buurten["code"].isin(gebied.buurten)]
binnen = binnen.sort_values("gap_score", ascending=False)
for row in binnen.head(5).itertuples():
    print(f"- {row.naam} ({row.code}): hiaatscore {fmt_num(row.gap_score, 0)}")
    print(f"  {row.reason}")
leeg = profielen[GROEP]["no_offer_buurten"]
print(
    "Buurten zonder passend aanbod binnen bereik:",
    ", ".join(b["naam"] for b in leeg) or "geen",
)

# %%
bereikbaar = reachable_aanbod(result, aanbod.layers["activiteiten"], gebied.buurten)
print(f"{len(bereikbaar)} passende activiteit(en) bereikbaar vanuit het gebied")
display(
    Image(
        area_map(
            result.buurten,
            gebied.buurten,
            value="lonely",
            value_label=f"Eenzame {GROUP_LABELS[GROEP]}",
            aanbod=bereikbaar,
            note=f"RIVM {result.year} × CBS {result.population_year}",
        ),
        width=650,
    )
)

# %% [markdown]
# ## 3. Exporteren
#
# ### GeoPackage
#
# `collect_layers` verzamelt de gebieden met cijfers, de aandachtsgebieden, per doelgroep de
# hiaten (buurt, wijk, gebied) en hot spots, en het aanbod; `restrict_to_area` houdt daarvan
# alleen over wat in het gebied ligt (de buurten, hun wijk, het aanbod erin). `write_export`
# schrijft dat in één GeoPackage met QGIS-stijlen en een tabel met bronnen. Ook een
# HTML-kaart die zonder internet werkt (Leaflet zit in het bestand).

# %%
bundel = restrict_to_area(
    collect_layers(dataset, aanbod, list(resultaten.values())), dataset, GEBIED
)
assert set(bundel.layers["buurten"]["code"]) == set(gebied.buurten)
gpkg = write_export(bundel, UITVOER / file_name(bundel, ".gpkg"), "gpkg")
kaart = write_export(bundel, UITVOER / file_name(bundel, ".html"), "html")
lagen = pyogrio.list_layers(gpkg)
print(f"GeoPackage: {gpkg} ({len(lagen)} lagen)")
print(f"HTML-kaart: {kaart}")
display(pd.DataFrame(lagen, columns=["laag", "geometrie"]))
for note in bundel.notes:
    print("Let op:", note)

# %% [markdown]
# ### Het rapport (PDF)
#
# `build_report` zet het profiel en de hiaten om in de wijkpropositie (samenvatting,
# kerncijfers, trend, behoefte, hiaat, bereikbaar aanbod, buurten zonder aanbod,
# vervoersarmoede, aandachtspunten, bronnen) en `write_report` schrijft de PDF.

# %%
rapport = build_report(
    dataset, aanbod.layers, GEBIED, group=GROEP, result=result, notices=aanbod.notices
)
pdf = write_report(rapport, UITVOER / report_file_name(rapport, ".pdf"))
print(f"{rapport.title} — {rapport.subtitle}")
print(f"PDF: {pdf} ({fmt_int(pdf.stat().st_size / 1024)} kB)")
print("Hoofdstukken:", "; ".join(s.title for s in rapport.sections))
samenvatting = rapport.sections[0]
for block in samenvatting.blocks:
    for tekst in getattr(block, "items", None) or [getattr(block, "text", "")]:
        if tekst:
            print("•", tekst)
assert pdf.read_bytes().startswith(b"%PDF")

# %% [markdown]
# De bestanden staan in de uitvoermap. Dezelfde propositie maakt de command line met
# `wijkkompas rapport DATA --gebied Zuilen --groep ... --out zuilen.pdf`, en het dashboard
# met de knop *Maak wijkpropositie* op de pagina *Gebiedsprofiel*.
