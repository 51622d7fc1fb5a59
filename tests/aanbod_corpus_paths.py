from pathlib import Path

CORPUS = Path(__file__).parent / "aanbod_corpus"
