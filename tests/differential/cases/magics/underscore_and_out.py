# `_` and `Out[1]` read IPython's output history.
# %%
40 + 2
# %%
print(_ + 1)
# %%
print(Out[1] * 2)
