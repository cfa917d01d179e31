"""Resolutions: their labels, their items, and which of them are procedure."""
from __future__ import annotations

import pytest

from extract.language.resolutions import is_procedural_resolution, is_resolution, resolution_items, resolution_label


@pytest.mark.parametrize("label", ["RESOLVED:", "RESOLVED - That", "Resolved that", "AGREED", "Decision:",
                                   "It was RESOLVED that:", "The Cabinet RESOLVED to:", "That Cabinet:",
                                   "That the Committee:", "Agreed, in order to retain experienced staff, to:",
                                   "RESOLVED UNANIMOUSLY: That the Committee:-", "Resolved unanimously - that"])
def test_resolution_labels(label):
    assert resolution_label(label)


@pytest.mark.parametrize("text", ["Decision details", "Decision Maker: Cabinet", "Members agreed that more was needed",
                                  "The Council agreed a new pay structure in 2022.",
                                  "That the Committee welcomed the new pay offer"])
def test_other_lines_are_not_labels(text):
    assert not resolution_label(text)


@pytest.mark.parametrize("text", [
    "That the report be noted.", "the progress made be noted; and", "That the recommendations in the report be approved.",
    "That officers be thanked for their work.", "Note the progress made since the inspection.",
    "That the Panel's appreciation of the work of frontline staff be recorded.",
    "That the Cabinet's responses to the scrutiny review, as circulated, be agreed.",
    "To receive a report on the vacancies in social work teams and on how these could be filled.",
    "To receive a report of the Director on social work vacancies, setting out how they could be filled.",
    "notes the progress made on the recruitment campaign;", "welcomes the report and thanks the officers involved.",
])
def test_procedural_resolutions(text):
    assert is_procedural_resolution(text)


@pytest.mark.parametrize("text", [
    "That a market supplement be introduced for experienced social workers.",
    "To note the progress and support the further actions planned to retain social workers.",
    "That the report be noted and the retention strategy be approved.",
    "Approve the introduction of a retention payment for team managers.",
    "Delegate authority to the Director to agree the terms of the housing offer.",
    "That, from 1 April 2025, the retention allowance be paid monthly to experienced social workers.",
    "That the report be noted and the career pathway for senior practitioners be made permanent.",
    # "That the Committee:- 1. approves ...": a decision in the third person, not a noting.
    "approves a retention payment for team managers, and notes that it will be reviewed in a year; and",
])
def test_substantive_resolutions(text):
    assert not is_procedural_resolution(text)


def test_resolution_forms():
    assert is_resolution("That the results of the staff survey be shared with Members.")
    assert is_resolution("To endorse the workforce strategy.")
    assert not is_resolution("The academy has supported 30 social workers.")
    assert is_resolution("That, from 1 April 2025, the retention allowance be paid monthly.")  # an irregular participle


def test_resolutions_run_together_are_split():
    text = "(i) That the report be noted; (ii) That a pay review be undertaken; and (iii) That the Director report back."
    assert [text[s:e] for s, e in resolution_items(text)] == [
        "That the report be noted;", "That a pay review be undertaken;", "That the Director report back."]
    assert resolution_items("That the report be noted.") == [(0, 25)]


@pytest.mark.parametrize("label", ["The Committee considered the report and RESOLVED that:",
                                   "Agreed, in order to stabilise the service, to:", "That Cabinet:",
                                   "That the Committee:"])
def test_resolution_lead_ins_that_carry_more_than_the_verb(label):
    assert resolution_label(label).end() == len(label)


@pytest.mark.parametrize("text", ["Agreed, the pay scale is fair", "That Cabinet note the report",
                                  "The Committee considered the report in detail."])
def test_sentences_that_only_look_like_those_lead_ins_are_not_labels(text):
    assert not resolution_label(text)


def test_resolved_unanimously_and_irregular_participles():
    assert resolution_label("RESOLVED UNANIMOUSLY: That the Policy Committee:-")
    assert is_resolution("That, from 1st April, the relocation allowance be paid in two instalments.")
    assert is_resolution("That a further offer be made to newly qualified social workers.")


def test_it_is_noted_that_is_a_noting():
    assert is_procedural_resolution("It is noted that the additional funding is to cover a period of three years.")
    assert not is_procedural_resolution("That the additional funding for social workers be approved for three years.")
