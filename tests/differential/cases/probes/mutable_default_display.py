# A function with a mutable default argument called in a display.
# %%
def collect(x, acc=[]):
    acc.append(x)
    return len(acc)
# %%
collect(1)
# %%
print(collect(2))
