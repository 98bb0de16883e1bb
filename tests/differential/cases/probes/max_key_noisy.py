# max(xs, key=f) shown, where f prints.
# %%
def score(x):
    print("scoring", x)
    return -x
# %%
max([1, 2], key=score)
# %%
print("end")
