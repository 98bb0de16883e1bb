# Headings that start with digits and hold accents: "1. Données", "2) Résultat".
# expect: same
# %%
base = 3
# %% [markdown]
# ## 1. Données
# %%
données = [base, base + 1]
# %% [markdown]
# ## 2) Résultat
# %%
résultat = sum(données)
print(résultat)
