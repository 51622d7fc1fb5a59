from geo.present.safe_text import html_text, neutralise_formula


def test_html_text_escapes_markup():
    assert html_text('<img src=x onerror="window.__xss=1">') == (
        "&lt;img src=x onerror=&quot;window.__xss=1&quot;&gt;"
    )
    assert html_text(None) == "" and html_text(float("nan")) == ""


def test_formulas_are_neutralised_but_numbers_kept():
    assert neutralise_formula("=1+1") == "'=1+1"
    assert neutralise_formula("@SUM(A1)") == "'@SUM(A1)"
    assert neutralise_formula("-2+3") == "'-2+3"
    assert neutralise_formula(-2) == -2
    assert neutralise_formula("Buurthuis") == "Buurthuis"
