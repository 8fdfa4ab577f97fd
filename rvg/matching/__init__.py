"""Who is placed where: stable matching of candidates to organisations with capacities.

``algorithm`` is the pure rule (deferred acceptance, its check and its statistics);
``files`` reads and validates the three CSV files of ``rvg match`` and writes the result.
"""
