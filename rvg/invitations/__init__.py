"""Invitations behind token links: the tokens (stored only as a hash) and the links built
from them. The domain packages, the web app and the demo share these; none imports ``rvg.web``."""
