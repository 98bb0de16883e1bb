# A parameters cell binds two names in one tuple assignment; both reach the code that uses them.
# expect: same
# %% tags=["parameters"]
lr, epochs = 0.1, 3
# %% [markdown]
# ## Train
# %%
weight = 1.0
for _ in range(epochs):
    weight -= lr * weight
print(round(weight, 6))
