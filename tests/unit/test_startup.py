"""The web app starts without loading the NLP stack: spaCy loads on the first generation."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import sys
from quizapp import create_app
from quizapp.banks import load_bank
from quizapp.extensions import db
app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
with app.app_context():
    db.create_all()
with app.test_client() as client:
    assert client.get("/").status_code == 200
print(sorted(m for m in ("spacy", "thinc", "quizapp.generation.generator") if m in sys.modules))
"""


def test_create_app_and_the_bank_format_do_not_load_spacy(tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "QUIZAPP_INSTANCE": str(tmp_path / "instance")},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_the_generator_entry_points_still_import_from_the_package():
    from quizapp import generation
    from quizapp.generation import generate_bank

    assert generate_bank is generation.generator.generate_bank
