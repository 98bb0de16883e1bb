# Two imports of one name from different modules: math.log, later cmath.log; each call sees its own.
# %%
from math import log
print(log(1.0))
# %%
from cmath import log
print(log(-1))
