FROM debian
LABEL author="René"
