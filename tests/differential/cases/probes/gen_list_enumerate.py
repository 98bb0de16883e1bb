# list(enumerate(gen)) shown consumes the generator.
# %%
gen = (x for x in range(3))
# %%
list(enumerate(gen))
# %%
print(list(gen))
