# A helper defined early prints; it is called in two later sections.
# expect: same
# %%
def show(label, value):
    print(f"[{label}] {value}")
# %% [markdown]
# ## First
# %%
a = 2
show("a", a)
# %% [markdown]
# ## Second
# %%
b = a * 10
show("b", b)
