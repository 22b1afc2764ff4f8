from django.urls import path

from apps.dues import views

app_name = "dues"

urlpatterns = [
    path("", views.index, name="index"),
    path("generate/", views.generate, name="generate"),
    path("bills/", views.bills, name="bills"),
    path("bills/<int:bill_id>/pay/", views.pay, name="pay"),
    path("arrears/", views.arrears, name="arrears"),
    path("ledger.xlsx", views.ledger_export, name="ledger"),
    path("mine/", views.mine, name="mine"),
    path("rebates/", views.rebates, name="rebates"),
    path("rebates/<int:rebate_id>/spend/", views.spend, name="spend"),
    path("members/<int:member_id>/base/", views.member_base, name="member_base"),
]
