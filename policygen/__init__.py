"""policygen: social media guidelines from a company profile and a reviewed clause library."""

__version__ = "0.1.0"
