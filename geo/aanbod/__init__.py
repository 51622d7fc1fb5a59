"""What is offered (aanbod): activities, Lief en Leedstraten, Welzijn op recept, Buurtmobiel, OV."""
