# f-strings with nested format specs, = debugging and conversions.
# expect: same
# %%
width = 8
value = 3.14159
name = "pi"
# %% [markdown]
# ## Format
# %%
print(f"{value:{width}.3f}|{name!r}|{value=:.2f}")
