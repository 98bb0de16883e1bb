# `%timeit -q -n 3 -r 1` runs its statement three times: the list grows by three.
# %%
calls = []
# %%
%timeit -q -n 3 -r 1 calls.append(1)
# %%
print(len(calls))
