"""The timeline dock and the event form: an episode's events in date order, each answer under
what it answers.
"""
