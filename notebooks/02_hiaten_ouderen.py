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
# # Hiatenanalyse migrantenouderen en alleenstaande ouderen
#
# Het Uitvoeringsplan Eenzaamheid 2023-2026 vraagt extra aandacht voor migrantenouderen en
# (alleenstaande) thuiswonende ouderen. Dit notebook zoekt per buurt, wijk en aandachtsgebied
# waar veel eenzame ouderen van die groepen wonen en weinig passend aanbod binnen bereik is —
# de **hiaten** — en waar die samen een cluster vormen (**hot spots**). Tot slot een
# wat-als: wat verandert er als een **Buurtmobiel** heel Overvecht bedient?
#
# **Hoe het werkt** (`geo.analysis.pipeline.analyse`, alle aannames in
# `geo.settings.AnalysisSettings`):
#
# 1. *Behoefte in mensen*: inwoners van de groep per buurt (CBS-kerncijfers; de methode van de
#    schatting staat erbij) × het RIVM-percentage eenzaam en ernstig eenzaam van 65-plussers
#    (of het wijkcijfer als de buurt niet gepubliceerd is — dat wordt gemeld).
# 2. *Bereikbaar aanbod*: E2SFCA — passende activiteiten binnen 500 m lopen (trapsgewijs
#    afnemend gewicht 1 / 0,68 / 0,22; hemelsbreed × 1,3), gedeeld door iedereen die ze kan
#    bereiken. Een Buurtmobiel vergroot het bereik van ouderen in zijn werkgebied tot 3 km.
# 3. *Vervoersarmoede*: auto's per huishouden, afstand tot en vertrekken bij OV-haltes,
#    aandeel 65-plus, moeite met rondkomen, Buurtmobiel-dekking.
# 4. *Hiaat*: eenzamen zonder (naar verhouding) passend aanbod, verhoogd met vervoersarmoede,
#    met een reden in gewone taal.
#
# De datamap komt uit `WIJKKOMPAS_DATA` (standaard de demo *Demostad*).

# %%
import os

import geopandas as gpd
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display

from geo.aanbod import load_aanbod
from geo.analysis.pipeline import analyse
from geo.analysis.reach import suitable_activities
from geo.analysis.scenario import add_buurtmobiel, compare_gaps
from geo.io.folder import load_dataset
from geo.present.format import fmt_int, fmt_num
from geo.settings import GROUP_LABELS

pd.set_option("display.max_columns", 20)
pd.set_option("display.width", 160)
pd.set_option("display.max_colwidth", 120)

dataset = load_dataset()  # $WIJKKOMPAS_DATA, else the bundled demo
aanbod = load_aanbod(dataset.path, areas=dataset.areas, gemeente_code=dataset.gemeente_code)
UTRECHT = dataset.gemeente_code == "GM0344"
GROEPEN = ("migrantenouderen", "alleenstaande-ouderen")
print(f"{dataset.titel}: gemeente {dataset.gemeente_naam} ({dataset.gemeente_code})")
if dataset.demo:
    print("LET OP: DEMO — fictieve cijfers van een verzonnen stad, niet voor beleid.")
for melding in aanbod.notices:
    print("Aanbod:", melding)

# %% [markdown]
# ## 1. Het aanbod
#
# Wat er in de datamap staat, per laag, en welk deel daarvan voor de twee groepen *passend* is
# (soort en doelgroep; zie `GROUP_SOORTEN` en `GROUP_DOELGROEPEN` in `geo.aanbod.schema`).
# In de Utrecht-map staan alleen sportaccommodaties en -scholen (partnerbestanden, alleen
# lezen): een smalle basis, dus de hiaten zeggen vooral iets over *bewegen* in de buurt.

# %%
lagen = pd.Series({laag: len(frame) for laag, frame in aanbod.layers.items()}, name="rijen")
activiteiten = aanbod.layers["activiteiten"]
passend = (
    pd.DataFrame(
        {
            GROUP_LABELS[g]: suitable_activities(activiteiten, g)["soort"].value_counts()
            for g in GROEPEN
        }
    )
    .fillna(0)
    .astype(int)
)
display(lagen.to_frame())
display(passend)

# %% [markdown]
# ## 2. De analyse per groep
#
# Eén aanroep per groep. `result.level("wijk")` geeft de gerangschikte wijken: mensen
# (inwoners, eenzaam, ernstig eenzaam), bereikbaar aanbod (plaatsen per 1.000 eenzamen),
# het aantal eenzamen zonder passend aanbod (`unserved`), de hiaatscore en de reden.

# %%
resultaten = {g: analyse(dataset, aanbod.layers, group=g) for g in GROEPEN}
for groep, result in resultaten.items():
    print(f"{GROUP_LABELS[groep]} — RIVM {result.year}, CBS-bevolking {result.population_year}")
    for note in result.notes:
        print("  Let op:", note)

KOLOMMEN = {
    "naam": "wijk",
    "population": "inwoners",
    "lonely": "eenzaam",
    "severely_lonely": "ernstig eenzaam",
    "reachable_offer": "aanbod per 1.000 eenzamen",
    "unserved": "zonder passend aanbod",
    "gap_score": "hiaatscore",
    "rank": "rang",
}


def mensen(frame: pd.DataFrame) -> pd.DataFrame:
    """The ranked rows with Dutch headers, people rounded to whole persons."""
    out = frame[list(KOLOMMEN)].rename(columns=KOLOMMEN).set_index("rang")
    return out.round(0).astype({"wijk": str})


# %% [markdown]
# ### Migrantenouderen per wijk
#
# Het aantal migrantenouderen is een schatting (65-plussers × aandeel met een
# migratieachtergrond × 0,6: ouderen hebben minder vaak een migratieachtergrond dan de
# hele bevolking); de methode staat in de behoeftetabel.

# %%
migranten = resultaten["migrantenouderen"]
methode = migranten.need.loc[migranten.need["group"] == "migrantenouderen", "population_method"]
print(methode.iloc[0])
mensen(migranten.level("wijk"))

# %% [markdown]
# ### Alleenstaande ouderen per wijk

# %%
alleen = resultaten["alleenstaande-ouderen"]
methode = alleen.need.loc[alleen.need["group"] == "alleenstaande-ouderen", "population_method"]
print(methode.iloc[0])
mensen(alleen.level("wijk"))

# %%
fig, axes = plt.subplots(1, 2, figsize=(12, 4.2), sharey=False)
for ax, (groep, result) in zip(axes, resultaten.items(), strict=True):
    frame = result.level("wijk").sort_values("lonely")
    bediend = frame["lonely"] - frame["unserved"]
    ax.barh(frame["naam"], bediend, color="#6c83b5", label="met passend aanbod")
    ax.barh(frame["naam"], frame["unserved"], left=bediend, color="#e0523a", label="zonder")
    ax.set_title(f"Eenzame {GROUP_LABELS[groep]}", fontsize=10)
    ax.set_xlabel("mensen (schatting)")
    ax.legend(frameon=False, fontsize=8, loc="lower right")
fig.tight_layout()
plt.show()

# %% [markdown]
# ## 3. De grootste hiaten, met redenen
#
# De vijf buurten met het grootste hiaat per groep; de reden is dezelfde tekst als in het
# dashboard en de command line (`wijkkompas hiaten --groep ...`).

# %%
for groep, result in resultaten.items():
    print(f"\n{GROUP_LABELS[groep].capitalize()}:")
    for row in result.level("buurt").head(5).itertuples():
        print(f"{row.rank:>3}. {row.naam} ({row.code}): hiaatscore {fmt_num(row.gap_score, 0)}")
        print(f"     {row.reason}")
    leeg = result.no_offer.sort_values("lonely", ascending=False)
    print(
        f"  {len(leeg)} buurt(en) met eenzamen en niets passends binnen bereik, bijvoorbeeld:",
        ", ".join(f"{r.naam} ({fmt_int(r.lonely)})" for r in leeg.head(5).itertuples()) or "geen",
    )

# %% [markdown]
# ### Per aandachtsgebied
#
# Mensen worden opgeteld over de buurten van een gebied; percentages worden opnieuw berekend.

# %%
gebieden = pd.concat(
    {
        GROUP_LABELS[g]: r.level("gebied")[["naam", "lonely", "unserved", "gap_score", "rank"]]
        .set_index("naam")
        .round(0)
        for g, r in resultaten.items()
    },
    axis=1,
)
display(gebieden)

# %%
if UTRECHT:
    top = resultaten["migrantenouderen"].level("wijk").iloc[0]
    print(f"Grootste hiaat voor migrantenouderen: {top['naam']} ({fmt_int(top['lonely'])} eenzaam)")
    assert top["naam"] == "Overvecht"

# %% [markdown]
# ## 4. Hot spots
#
# Een losse buurt met een groot hiaat is iets anders dan een *cluster* van zulke buurten.
# Getis-Ord Gi* toetst per buurt of zij en haar buren samen opvallend hoog scoren, met
# Benjamini-Hochberg-correctie voor het testen van veel buurten tegelijk (FDR 5 %).
# `result.clusters` zijn de buurten in een significante hot spot van de hiaatscore
# (*veel nood, weinig aanbod*). Lokale Moran's I staat er ook bij (kwadranten hoog-hoog enz.).

# %%
overzicht = []
for groep, result in resultaten.items():
    spots = result.hotspots
    for variable, part in spots.groupby("variable"):
        overzicht.append(
            {
                "groep": GROUP_LABELS[groep],
                "variabele": variable,
                "hot spots (Gi*, FDR)": int((part["hotspot"] == "hot").sum()),
                "cold spots": int((part["hotspot"] == "cold").sum()),
                "Moran hoog-hoog (p<0,05)": int(
                    ((part["moran_quadrant"] == "hoog-hoog") & (part["moran_p"] < 0.05)).sum()
                ),
            }
        )
display(pd.DataFrame(overzicht))
for groep, result in resultaten.items():
    namen = ", ".join(result.clusters["naam"]) or "geen"
    print(f"Cluster 'veel nood, weinig aanbod' voor {GROUP_LABELS[groep]}: {namen}")

# %%
outlines = gpd.GeoSeries(
    {naam: g.geometry(dataset.areas) for naam, g in dataset.gebieden.items()},
    crs=dataset.areas.crs,
).dropna()
fig, axes = plt.subplots(1, 2, figsize=(12, 5.5))
for ax, (groep, result) in zip(axes, resultaten.items(), strict=True):
    result.buurten.plot(
        column="gap_score",
        ax=ax,
        cmap="OrRd",
        legend=True,
        legend_kwds={"label": "hiaatscore", "shrink": 0.7},
        edgecolor="white",
        linewidth=0.3,
        missing_kwds={"color": "#c8c8c8"},
    )
    clusters = result.clusters
    if len(clusters):
        clusters.plot(ax=ax, facecolor="none", edgecolor="#3b4994", hatch="///", linewidth=0.8)
    outlines.boundary.plot(ax=ax, color="black", linewidth=1.2)
    for naam, point in outlines.representative_point().items():
        ax.annotate(naam, (point.x, point.y), fontsize=7, ha="center", weight="bold")
    ax.set_title(f"Hiaat {GROUP_LABELS[groep]} (gearceerd: hot spot)", fontsize=10)
    ax.set_axis_off()
plt.show()

# %% [markdown]
# ## 5. Wat als een Buurtmobiel Overvecht bedient?
#
# In Utrecht rijdt (in deze gegevens) geen Buurtmobiel. `add_buurtmobiel` maakt een *kopie*
# van het aanbod met één werkgebied erbij — hier het aandachtsgebied Overvecht, gegeven als
# zijn codes — zonder iets op te slaan; daarna draait dezelfde analyse opnieuw en
# `compare_gaps` zet de ranglijst voor en na naast elkaar. In de demodata (geen Overvecht)
# nemen we het eerste aandachtsgebied.

# %%
SCENARIO_GEBIED = os.environ.get("WIJKKOMPAS_SCENARIO_GEBIED") or (
    "Overvecht" if "Overvecht" in dataset.gebieden else next(iter(dataset.gebieden))
)
gebied = dataset.gebieden[SCENARIO_GEBIED]
scenario = add_buurtmobiel(
    aanbod.layers, gebied.codes, areas=dataset.areas, naam=f"Buurtmobiel {SCENARIO_GEBIED}"
)
print(f"Scenario: Buurtmobiel in {SCENARIO_GEBIED} ({', '.join(gebied.codes)})")
print(
    "Buurtmobiel-diensten voor/na:",
    len(aanbod.layers["buurtmobiel"]),
    "/",
    len(scenario["buurtmobiel"]),
)

na = {g: analyse(dataset, scenario, group=g, hotspots=False) for g in GROEPEN}
vergelijking = {g: compare_gaps(resultaten[g], na[g], niveau="wijk") for g in GROEPEN}
TONEN = [
    "naam",
    "rank_voor",
    "rank_na",
    "rang_verschil",
    "gap_score_voor",
    "gap_score_na",
    "reachable_offer_voor",
    "reachable_offer_na",
    "unserved_voor",
    "unserved_na",
]
vergelijking["migrantenouderen"][TONEN].round(1)

# %%
vergelijking["alleenstaande-ouderen"][TONEN].round(1)

# %% [markdown]
# En voor de gemeente als geheel: hoeveel eenzame ouderen zonder passend aanbod er zijn,
# voor en na.

# %%
totaal = (
    pd.concat(
        {GROUP_LABELS[g]: compare_gaps(resultaten[g], na[g], niveau="gemeente") for g in GROEPEN}
    )[["unserved_voor", "unserved_na", "unserved_verschil"]]
    .droplevel(1)
    .round(0)
)
for groep, row in totaal.iterrows():
    richting = "minder" if row["unserved_verschil"] < 0 else "meer"
    verschil = fmt_int(abs(row["unserved_verschil"]))
    print(f"{groep}: netto {verschil} {richting} eenzamen zonder passend aanbod")
display(totaal)

# %%
fig, axes = plt.subplots(1, 2, figsize=(12, 4.2))
for ax, (groep, table) in zip(axes, vergelijking.items(), strict=True):
    table = table.sort_values("gap_score_voor")
    y = range(len(table))
    ax.barh([v + 0.2 for v in y], table["gap_score_voor"], height=0.4, color="#bbbbbb", label="nu")
    ax.barh(
        [v - 0.2 for v in y],
        table["gap_score_na"],
        height=0.4,
        color="#a51c30",
        label=f"met Buurtmobiel {SCENARIO_GEBIED}",
    )
    ax.set_yticks(list(y), table["naam"])
    ax.set_title(f"Hiaatscore {GROUP_LABELS[groep]}", fontsize=10)
    ax.legend(frameon=False, fontsize=8, loc="lower right")
fig.tight_layout()
plt.show()

# %%
voor_na = vergelijking["migrantenouderen"].set_index("naam")
wijk = voor_na.loc[voor_na["rank_voor"].idxmin()]
print(
    f"Migrantenouderen: {wijk.name} ging van rang {wijk['rank_voor']} naar {wijk['rank_na']}; "
    f"eenzamen zonder passend aanbod {fmt_int(wijk['unserved_voor'])} → "
    f"{fmt_int(wijk['unserved_na'])}."
)
if UTRECHT:
    assert wijk.name == "Overvecht" and wijk["rank_na"] > wijk["rank_voor"]

# %% [markdown]
# **Hoe lees je dit?**
#
# * In het werkgebied groeit het bereik van ouderen van 500 m naar 3 km: het hiaat in
#   Overvecht slinkt sterk en de wijk zakt op de ranglijst.
# * E2SFCA deelt de plaatsen van een activiteit met *iedereen* die haar kan bereiken. Met de
#   Buurtmobiel kunnen ouderen uit Overvecht ook de sportaccommodaties in de buurwijken
#   bereiken; daar wordt het aanbod per eenzame kleiner en stijgt het hiaat (in Utrecht vooral
#   Noordoost, Noordwest en Zuilen). Een Buurtmobiel lost dus niet alles op: hij verdeelt het
#   bestaande aanbod over meer mensen. Het totaal voor de gemeente (hierboven) laat zien wat
#   er netto overblijft — dat kan per groep verschillen, en zelfs stijgen als de buurwijken
#   meer inleveren dan Overvecht wint (in Utrecht bij de alleenstaande ouderen). Meer
#   *aanbod* in Overvecht blijft dan nodig; de Buurtmobiel maakt het bereikbaar.
# * De vervoersarmoede-index staat op een vaste schaal: alleen de buurten die de Buurtmobiel
#   dekt, gaan omlaag; elders verandert hij niet (kolom `transport_index_verschil` van
#   `compare_gaps`). Op de oude relatieve schaal (`--relatief`, alleen ter vergelijking) ging
#   de index buiten het werkgebied omhoog zodra er één Buurtmobiel bestond.
# * Het aanbod in deze gegevens is smal (vooral sport); met activiteiten van welzijnspartners
#   (`wijkkompas aanbod import`) verandert het beeld.


# %%
per_buurt = compare_gaps(resultaten["migrantenouderen"], na["migrantenouderen"], niveau="buurt")
gedekt = na["migrantenouderen"].buurten.set_index("code")["buurtmobiel"] != ""
buiten = per_buurt[~per_buurt["code"].map(gedekt).fillna(False).astype(bool)]
veranderd = per_buurt["transport_index_verschil"].abs() > 1e-9
print(
    f"Vervoersarmoede veranderd in {int(veranderd.sum())} buurt(en); buiten het "
    f"Buurtmobiel-gebied in {int((buiten['transport_index_verschil'].abs() > 1e-9).sum())}."
)
assert (buiten["transport_index_verschil"].fillna(0).abs() < 1e-9).all()
