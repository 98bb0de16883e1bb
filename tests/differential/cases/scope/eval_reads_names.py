# eval() reads notebook variables by name.
# %%
x = 3
y = 4
# %% [markdown]
# ## Evaluate
# %%
value = eval("x * y + 1")
print(value)
