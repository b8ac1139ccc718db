"""`python -m myonn train|render|draw [options]`: the three programs, from any folder (myonn.plumbing.commands)."""

from myonn.plumbing.commands import main

if __name__ == "__main__":
    main()
