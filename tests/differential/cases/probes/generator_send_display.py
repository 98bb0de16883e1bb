# gen.send(None) shown advances the generator.
# %%
gen = (x for x in range(3))
# %%
gen.send(None)
# %%
print(list(gen))
