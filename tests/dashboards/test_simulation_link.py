"""The managers' page links to the last simulation report (issue 8)."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client, override_settings

from tests.conftest import StaffPrincipal

pytestmark = pytest.mark.django_db

SCENARIO = Path(settings.BASE_DIR) / "seeds" / "scenarios" / "small-team.yaml"


def logged_in(principal: StaffPrincipal) -> Client:
    client = Client()
    client.force_login(principal.agent.user)
    return client


def test_without_a_simulation_the_page_says_how_to_run_one(
    manager_principal: StaffPrincipal, tmp_path: Path
) -> None:
    with override_settings(BASE_DIR=tmp_path):
        html = logged_in(manager_principal).get("/dashboard/").content.decode()
        missing = logged_in(manager_principal).get("/dashboard/simulation/latest/report.json")
    assert "manage.py simulate" in html
    assert missing.status_code == 404


def test_the_page_links_to_the_latest_report_which_managers_can_open(
    manager_principal: StaffPrincipal, agent_principal: StaffPrincipal, tmp_path: Path
) -> None:
    # given a simulation written under the project's var/simulations/
    out = tmp_path / "var" / "simulations" / "monday"
    call_command("simulate", str(SCENARIO), "--seed", "7", "--out", str(out), stdout=StringIO())
    with override_settings(BASE_DIR=tmp_path):
        # when a manager opens the dashboard and follows the link
        html = logged_in(manager_principal).get("/dashboard/").content.decode()
        report = logged_in(manager_principal).get("/dashboard/simulation/latest/report.json")
        chart = logged_in(manager_principal).get("/dashboard/simulation/latest/queue.png")
        other = logged_in(manager_principal).get("/dashboard/simulation/latest/..%2Fsecret")
        as_agent = logged_in(agent_principal).get("/dashboard/simulation/latest/report.json")
    # then the page links the report, which is the simulation's, and nothing else is served
    assert "/dashboard/simulation/latest/report.json" in html
    assert report.status_code == 200
    assert json.loads(b"".join(report.streaming_content)) == json.loads(
        (out / "report.json").read_text()
    )
    assert chart.status_code == 200
    assert chart["Content-Type"] == "image/png"
    report.close()
    chart.close()
    assert other.status_code == 404
    assert as_agent.status_code == 403
