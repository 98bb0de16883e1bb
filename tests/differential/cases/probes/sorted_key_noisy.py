# sorted(xs, key=f) shown, where f counts its calls in a global list.
# %%
calls = []
def key(x):
    calls.append(x)
    return -x
# %%
sorted([3, 1, 2], key=key)
# %%
print(calls)
