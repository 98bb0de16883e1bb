# `from math import pi` then `pi = 3` later: the rebinding must win after it runs, not before.
# %%
from math import pi
print(round(pi, 3))
# %%
pi = 3
print(pi)
