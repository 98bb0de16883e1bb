# Non-ASCII identifiers in variables and a function.
# expect: same
# %%
größe = 3
def fläche(seite):
    return seite * seite
# %% [markdown]
# ## Rechnen
# %%
ergebnis = fläche(größe)
print(ergebnis)
