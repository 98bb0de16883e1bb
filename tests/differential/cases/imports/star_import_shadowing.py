# `from math import *` then a notebook variable `e` that shadows math.e.
# %%
from math import *
print(round(e, 5))
# %%
e = 10
print(e + floor(2.5))
