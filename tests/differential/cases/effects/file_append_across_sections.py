# Several sections append to one file; the order of lines is the notebook's.
# expect: same
# %%
open("trail.txt", "w").close()
def mark(text):
    with open("trail.txt", "a") as handle:
        handle.write(text + "\n")
# %% [markdown]
# ## A
# %%
mark("a")
# %% [markdown]
# ## B
# %%
mark("b")
# %% [markdown]
# ## C
# %%
mark("c")
