# `%%timeit -q -n 2 -r 2` runs the cell body four times.
# %%
counter = {"n": 0}
# %%
%%timeit -q -n 2 -r 2
counter["n"] += 1
# %%
print(counter["n"])
