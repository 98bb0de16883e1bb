# Sections titled with Python keywords: "Import", "Class", "Return", "Lambda".
# expect: same
# %%
data = [1, 2]
# %% [markdown]
# ## Import
# %%
extended = data + [3]
# %% [markdown]
# ## Class
# %%
label = "big" if len(extended) > 2 else "small"
# %% [markdown]
# ## Return
# %%
answer = (label, extended)
# %% [markdown]
# ## Lambda
# %%
print(answer)
