# A function defined in a section reads a name the section binds after the def.
# %%
start = 1
# %% [markdown]
# ## Work
# %%
def inner():
    return later + start
later = 41
result = inner()
print(result)
