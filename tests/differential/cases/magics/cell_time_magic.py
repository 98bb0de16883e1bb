# `%%time` around a cell whose prints are results.
# %%
%%time
squares = [v * v for v in range(4)]
print(squares)
