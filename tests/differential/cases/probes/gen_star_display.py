# [*gen] shown as a display consumes the generator.
# %%
gen = iter([1, 2, 3])
# %%
[*gen]
# %%
print(list(gen))
