"""Hostile and odd inputs (../../../shared/adversarial-cases.md and the hardening issue).

Each case ends as a one-line error naming the culprit (exit status 2) or as a normal run,
with the other files still checked, no file lost and never a traceback.
"""
