# print(..., file=handle) writes a file: an output target makes a print an effect.
# expect: same
# %%
scores = {"a": 0.5, "b": 0.75}
# %%
with open("scores.txt", "w") as handle:
    for key, value in scores.items():
        print(key, value, file=handle)
