"""The case library: one module per case notebook (``cases/0*_*.ipynb``),
named after the case.

Each module holds its case's data (``make_``/``write_``/``load_`` functions, with the files
declared as :class:`coursekit.tables.Table` specs and the writers in ``DATASETS``), the
calculators the case needs beyond the chapter modules, and its explorer (with ``BENCH``, the
slider moves ``make bench`` replays).

=====  ==============================================  ==========================================
case   notebooks (part A, part B)                      module
=====  ==============================================  ==========================================
1      01_fedex_customer_worth                         :mod:`coursekit.cases.fedex`
2      02_leaky_bucket                                 :mod:`coursekit.cases.freshbox`
3      03_store_that_knew, 03b_the_false_alarms        :mod:`coursekit.cases.miao`
4      04_ken_robbs_secret                             :mod:`coursekit.cases.dicks`
5      05_small_rolls                                  :mod:`coursekit.cases.small_rolls`
6      06_bank_wrong_churn                             :mod:`coursekit.cases.bank`
7      07_six_key_accounts                             :mod:`coursekit.cases.key_accounts`
8      08_satisfaction_spending, 08b_two_years_later   :mod:`coursekit.cases.hotline`
9      09_still_alive                                  :mod:`coursekit.cases.cdnow` (real data)
=====  ==============================================  ==========================================

Cases 3 and 8 are in two parts: part B (``NNb_*.ipynb``) is released after the class has decided part A.
"""
