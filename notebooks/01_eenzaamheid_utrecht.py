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
# # Eenzaamheid in Utrecht 2012-2020 tegen het landelijk gemiddelde
#
# Het Uitvoeringsplan Eenzaamheid Utrecht 2023-2026 (*Utrecht Omarmt*) zegt het zo:
# *"Wij streven naar minder en zijn tevreden wanneer wij onder het landelijk gemiddelde
# komen."* Dit notebook laat zien waar Utrecht staat: de gemeente, elke wijk en de vier
# aandachtsgebieden (Overvecht, Zuilen, Lunetten, Transwijk), de ontwikkeling over de drie
# edities van de Gezondheidsmonitor (2012, 2016, 2020) en de afstand tot het doel voor 2026.
#
# **Gegevens.** RIVM, GGD'en en CBS, *Gezondheid per wijk en buurt* (tabel 50090NED),
# kleine-gebiedsschattingen uit de Gezondheidsmonitor Volwassenen en Ouderen. Alle edities
# staan in dezelfde gebiedsindeling (*indeling 2020*), zodat een wijk door de jaren heen te
# vergelijken is. *Eenzaam* is het aandeel volwassenen met een score van 3 of hoger op de
# eenzaamheidsschaal van De Jong Gierveld.
#
# **Welke data?** Het notebook leest de datamap uit de omgevingsvariabele `WIJKKOMPAS_DATA`;
# zonder die variabele de meegeleverde demodata (*Demostad*, een verzonnen stad met eigen
# aandachtsgebieden). Voor de echte cijfers:
#
# ```sh
# .venv/bin/jupytext --to ipynb notebooks/01_eenzaamheid_utrecht.py
# cd notebooks && WIJKKOMPAS_DATA=../../shared/data/utrecht \
#     ../.venv/bin/jupyter execute --inplace 01_eenzaamheid_utrecht.ipynb
# ```
#
# Alles hieronder gebruikt dezelfde functies als het dashboard en de command line (`geo`).

# %%
import geopandas as gpd
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import display

from geo.aanbod import load_aanbod
from geo.analysis.context import context_table, target_2026, trend
from geo.analysis.pipeline import analyse
from geo.analysis.profile import area_profile
from geo.io.folder import load_dataset
from geo.model.summary import summarise
from geo.present.format import fmt_num, fmt_pct
from geo.present.maps import area_values

pd.set_option("display.max_columns", 20)
pd.set_option("display.width", 140)

dataset = load_dataset()  # $WIJKKOMPAS_DATA, else the bundled demo
UTRECHT = dataset.gemeente_code == "GM0344"
JAREN = dataset.years
LAATSTE = JAREN[-1]
print(f"{dataset.titel}: gemeente {dataset.gemeente_naam} ({dataset.gemeente_code})")
print("RIVM-edities:", ", ".join(map(str, JAREN)))
print("Aandachtsgebieden:", ", ".join(dataset.gebieden))
if dataset.demo:
    print("LET OP: DEMO — fictieve cijfers van een verzonnen stad, niet voor beleid.")

# %% [markdown]
# ## 1. De gemeente tegen Nederland
#
# `trend` geeft per editie het cijfer van een gebied naast dat van de gemeente en Nederland.
# De landelijke cijfers (NL01) zitten niet in een download van één gemeente; Wijkkompas vult
# ze aan uit de landelijke tabel en zegt dat in de bron.

# %%
gemeente = trend(dataset, [dataset.gemeente_code])
pd.DataFrame(gemeente).set_index("year")[["gemeente", "nederland"]].rename(
    columns={"gemeente": dataset.gemeente_naam, "nederland": "Nederland"}
)

# %% [markdown]
# ### Het doel voor 2026
#
# `target_2026` vergelijkt het laatste gemeentelijke cijfer (eenzaam, 18+) met het landelijke.
# Het doel is gehaald als de gemeente *onder* het landelijk gemiddelde zit.

# %%
doel = target_2026(dataset, year=LAATSTE)
print(doel["tekst"])
if UTRECHT:
    # the figures the Uitvoeringsplan quotes: Utrecht 48,9 %, Nederland 47,0 % (2020)
    assert (doel["gemeente"], doel["nederland"], doel["verschil"]) == (48.9, 47.0, 1.9)
    assert doel["behaald"] is False

# %% [markdown]
# Hoe ver is dat? Een eenvoudige **lineaire doortrekking** van de edities naar 2026 laat zien
# of de gemeente vanzelf richting het doel beweegt. Dit is geen prognose: de metingen liggen
# vier jaar uit elkaar en 2020 viel in de coronatijd.

# %%
jaren = np.array([row["year"] for row in gemeente], dtype=float)
waarden = np.array([row["value"] for row in gemeente], dtype=float)
landelijk = np.array([row["nederland"] for row in gemeente], dtype=float)
if len(jaren) >= 2:
    richting = np.polyfit(jaren, waarden, 1)
    richting_nl = np.polyfit(jaren, landelijk, 1)
    in_2026, nl_2026 = np.polyval(richting, 2026), np.polyval(richting_nl, 2026)
    print(
        f"Doorgetrokken naar 2026: {dataset.gemeente_naam} {fmt_pct(in_2026)}, "
        f"Nederland {fmt_pct(nl_2026)} ({fmt_num(richting[0] * 4, 1)} procentpunt per 4 jaar "
        f"tegen {fmt_num(richting_nl[0] * 4, 1)} landelijk)."
    )

fig, ax = plt.subplots(figsize=(6.5, 3.5))
ax.plot(jaren, waarden, "o-", color="#a51c30", label=dataset.gemeente_naam)
ax.plot(jaren, landelijk, "s--", color="#555555", label="Nederland")
if len(jaren) >= 2:
    ahead = np.array([jaren[-1], 2026.0])
    ax.plot(ahead, np.polyval(richting, ahead), ":", color="#a51c30", alpha=0.6)
    ax.plot(ahead, np.polyval(richting_nl, ahead), ":", color="#555555", alpha=0.6)
ax.axvline(2026, color="#999999", linewidth=0.8)
ax.text(2026, ax.get_ylim()[1], " doel 2026", va="top", fontsize=8, color="#555555")
ax.set_ylabel("eenzaam, 18+ (%)")
ax.set_title(f"Eenzaamheid 18+: {dataset.gemeente_naam} en Nederland")
ax.legend(frameon=False)
ax.grid(axis="y", color="#eeeeee")
plt.show()

# %% [markdown]
# ## 2. Per wijk
#
# `context_table` zet voor elke wijk de edities naast elkaar, met de verandering (eerste tot
# laatste editie, in procentpunten) en het verschil met Nederland. `onder_landelijk` is het
# doel van 2026 per wijk.

# %%
wijken = context_table(dataset, niveau="wijk").sort_values(LAATSTE, ascending=False)
wijken[["naam", *JAREN, "verandering", "verschil_nederland", "onder_landelijk"]]

# %%
if UTRECHT:
    overvecht = wijken.loc["WK034403"]
    print(
        f"Overvecht {LAATSTE}: {fmt_pct(overvecht[LAATSTE])} eenzaam, "
        f"{fmt_num(overvecht['verschil_nederland'], 1)} procentpunt boven Nederland."
    )
    assert [overvecht[2012], overvecht[2016], overvecht[2020]] == [53.4, 53.9, 58.2]
onder = wijken[wijken["onder_landelijk"] == True]  # noqa: E712 (nullable column)
print(
    f"{len(onder)} van de {len(wijken)} wijken zitten onder het landelijk gemiddelde:",
    ", ".join(onder["naam"]) or "geen",
)

# %%
fig, ax = plt.subplots(figsize=(7, 0.35 * len(wijken) + 1.2))
order = wijken.sort_values(LAATSTE)
colours = ["#2b8cbe" if bool(b) else "#e0523a" for b in order["onder_landelijk"].fillna(False)]
ax.barh(order["naam"], order[LAATSTE], color=colours)
ax.axvline(doel["nederland"], color="#333333", linestyle="--", linewidth=1)
ax.axvline(doel["gemeente"], color="#a51c30", linestyle=":", linewidth=1)
ax.text(doel["nederland"], len(order) - 0.4, " Nederland", fontsize=8)
ax.text(doel["gemeente"], -0.9, f" {dataset.gemeente_naam}", fontsize=8, color="#a51c30")
ax.set_xlabel(f"eenzaam, 18+, {LAATSTE} (%)")
ax.set_title("Wijken: blauw = onder het landelijk gemiddelde (doel 2026)")
plt.show()

# %% [markdown]
# ## 3. Op de kaart
#
# Links het laatste cijfer per buurt, rechts de verandering sinds de eerste editie. Grijs:
# niet gepubliceerd (te weinig respondenten in de buurt). De aandachtsgebieden zijn zwart
# omlijnd. `area_values` geeft per gebied het cijfer met zijn status; de kaart zelf is gewone
# matplotlib (werkt zonder internet).

# %%
buurten = area_values(
    dataset.level("buurt"), dataset.figures, indicator="Eenzaam", group="18+", year=LAATSTE
)
verandering = context_table(dataset, niveau="buurt")["verandering"]
buurten["verandering"] = buurten["code"].map(verandering)
outlines = gpd.GeoSeries(
    {naam: gebied.geometry(dataset.areas) for naam, gebied in dataset.gebieden.items()},
    crs=dataset.areas.crs,
).dropna()

fig, axes = plt.subplots(1, 2, figsize=(12, 5.5))
for ax, column, title, cmap in (
    (axes[0], "value", f"Eenzaam 18+ {LAATSTE} (%)", "OrRd"),
    (axes[1], "verandering", f"Verandering {JAREN[0]}-{LAATSTE} (procentpunt)", "RdBu_r"),
):
    values = buurten[column]
    limit = float(np.nanmax(np.abs(values))) if column == "verandering" else None
    buurten.plot(
        column=column,
        ax=ax,
        cmap=cmap,
        legend=True,
        vmin=-limit if limit else None,
        vmax=limit,
        edgecolor="white",
        linewidth=0.3,
        missing_kwds={"color": "#c8c8c8"},
    )
    outlines.boundary.plot(ax=ax, color="black", linewidth=1.2)
    for naam, point in outlines.representative_point().items():
        ax.annotate(naam, (point.x, point.y), fontsize=7, ha="center", weight="bold")
    ax.set_title(title)
    ax.set_axis_off()
fig.text(0.01, 0.01, "Bron: RIVM, GGD'en, CBS (Gezondheidsmonitor), 50090NED", fontsize=7)
plt.show()

# %% [markdown]
# ## 4. De aandachtsgebieden
#
# Een aandachtsgebied dat precies één wijk is (Overvecht) krijgt het gepubliceerde wijkcijfer;
# een gebied van losse buurten (Zuilen, Lunetten, Transwijk) wordt *herberekend uit mensen*:
# Σ(volwassenen × percentage) / Σ volwassenen over zijn buurten — nooit een gemiddelde van
# percentages. `area_profile` doet dat voor ons en geeft ook het cijfer voor 65-plussers.
# (Het profiel hoort bij een hiatenanalyse; die draait hier zonder hot spots, alleen voor de
# cijfers.)

# %%
aanbod = load_aanbod(dataset.path, areas=dataset.areas, gemeente_code=dataset.gemeente_code)
analyse_ouderen = analyse(dataset, aanbod.layers, group="ouderen", hotspots=False)
profielen = {
    naam: area_profile(dataset, aanbod.layers, naam, group="ouderen", result=analyse_ouderen)
    for naam in dataset.gebieden
}
rijen = []
for naam, profiel in profielen.items():
    for cijfer in profiel["figures"]:
        if cijfer["indicator"] not in ("Eenzaam", "ErnstigZeerErnstigEenzaam"):
            continue
        rijen.append(
            {
                "gebied": naam,
                "indicator": cijfer["label"],
                "leeftijd": cijfer["group"],
                "gebied %": cijfer["value"],
                "gemeente %": cijfer["gemeente"],
                "Nederland %": cijfer["nederland"],
                "status": cijfer["status"],
            }
        )
focus = pd.DataFrame(rijen)
display(focus)

# %%
if UTRECHT:
    eenzaam = focus[(focus["indicator"] == "Eenzaam") & (focus["leeftijd"] == "18+")]
    eenzaam = eenzaam.set_index("gebied")
    print(
        "Eenzaam 18+ in 2020:",
        "; ".join(f"{g} {fmt_pct(v)}" for g, v in eenzaam["gebied %"].items()),
    )
    assert eenzaam.loc["Overvecht", "gebied %"] == 58.2

# %%
fig, ax = plt.subplots(figsize=(7, 3.8))
for naam, profiel in profielen.items():
    punten = [(t["year"], t["value"]) for t in profiel["trend"] if t["value"] is not None]
    if punten:
        ax.plot(*zip(*punten, strict=True), "o-", label=naam)
ax.plot(jaren, waarden, "k:", label=dataset.gemeente_naam)
ax.plot(jaren, landelijk, "--", color="#777777", label="Nederland")
ax.set_xticks(JAREN)
ax.set_ylabel("eenzaam, 18+ (%)")
ax.set_title("Aandachtsgebieden: trend eenzaamheid 18+")
ax.legend(frameon=False, fontsize=8, ncol=2)
ax.grid(axis="y", color="#eeeeee")
plt.show()

# %% [markdown]
# ### Afstand tot het doel per aandachtsgebied
#
# Het doel geldt voor de gemeente als geheel, maar het laat zien hoeveel werk er per gebied
# ligt: het verschil met Nederland in procentpunten (positief = erboven) en de verandering
# sinds de eerste editie.

# %%
afstand = []
for naam, profiel in profielen.items():
    reeks = [t for t in profiel["trend"] if t["value"] is not None]
    if not reeks:
        continue
    laatste = reeks[-1]
    afstand.append(
        {
            "gebied": naam,
            f"eenzaam {laatste['year']} %": laatste["value"],
            "verschil met Nederland (pp)": round(laatste["value"] - laatste["nederland"], 1),
            "verandering sinds eerste editie (pp)": round(laatste["value"] - reeks[0]["value"], 1)
            if len(reeks) > 1
            else None,
        }
    )
pd.DataFrame(afstand).set_index("gebied")

# %% [markdown]
# ## 5. Wat niet gekoppeld kon worden
#
# Codes in de tabellen zonder grens (bijvoorbeeld een andere gebiedsindeling) worden nooit
# stil weggelaten; `summarise` zegt welke het zijn en waarom, en wat er bij het inlezen
# verder is opgevallen.

# %%
samenvatting = summarise(dataset)
print(f"{len(samenvatting['unmatched'])} code(s) niet gekoppeld.")
for melding in samenvatting["notices"]:
    print("-", melding)
pd.DataFrame(samenvatting["unmatched"]).head(10)

# %% [markdown]
# **Bronnen.** RIVM, GGD'en, CBS — Gezondheidsmonitor Volwassenen en Ouderen, tabel 50090NED
# (CC BY 4.0); CBS — Kerncijfers wijken en buurten (CC BY 4.0); Gemeente Utrecht — wijk- en
# buurtgrenzen (open data). Dezelfde cijfers staan in het dashboard (`make run`, pagina's
# *Kaart* en *Gebiedsprofiel*).
