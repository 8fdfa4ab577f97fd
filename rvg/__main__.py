from rvg.cli import main

main()
