# language: fr
Fonctionnalité: Les visites dues : ce qu'appellent l'embauche, le poste, la reprise, et le rendez-vous manqué facturé
  Le portail montre à l'adhérent les visites que doivent ses salariés : chacune avec le jour où elle
  doit avoir eu lieu au plus tard, l'article du Code du travail qui l'impose et son motif en clair.
  L'embauche appelle la visite d'information et de prévention dans les 3 mois de la prise de poste,
  2 mois pour un apprenti (article R4624-10) ; un poste de nuit l'appelle avant l'affectation
  (R4624-18) ; un poste en suivi individuel renforcé appelle l'examen médical d'aptitude avant
  l'affectation (R4624-24), puis une visite intermédiaire au plus tard 2 ans après l'examen, par le
  médecin du travail ou un infirmier, et le renouvellement de l'examen au plus tard 4 ans après
  (R4624-28). La reprise après un congé de maternité, une maladie professionnelle, un accident du
  travail d'au moins 30 jours ou une autre absence d'au moins 60 jours appelle la visite de reprise,
  le jour de la reprise et au plus tard 8 jours après (R4624-31) ; le motif ne dit jamais pourquoi
  le salarié était absent.
  Un rendez-vous manqué sans avoir été annulé à temps est facturé à l'employeur quand le service
  facture les absences aux visites, jamais au salarié, que la facture ne nomme pas.
  Nous sommes le lundi 04/05/2026, à 10 h à Paris.

  Contexte:
    Soit le service a enregistré l'adhérent « 00021 », raison sociale « Boulangerie des Ducs », et lui a envoyé par courrier le n° télédéclarant « 48151623 »
    Et Claire DURAND, gérante, a pour adresse e-mail « claire.durand@boulangerie-des-ducs.fr »
    Et Claire est administratrice de « Boulangerie des Ducs »
    Et Paul MOREAU, responsable du personnel, a pour adresse e-mail « paul.moreau@boulangerie-des-ducs.fr »
    Et Claire a donné accès au portail à Paul, avec le rôle Convocation
    Et Paul se connecte au portail avec un code reçu par e-mail
    Et le service a enregistré ses professionnels :
      | professionnel | rôle                          |
      | Anne LEFÈVRE  | Médecin du travail            |
      | Luc GARNIER   | Infirmier en santé au travail |
    Et Claire a enregistré les salariés de « Boulangerie des Ducs » :
      | salarié    | sexe | né(e) le   | contrat | embauché(e) le | poste      |
      | Lisa LERGY | F    | 12/12/1995 | CDI     | 27/09/2022     | Boulangère |
    Et le service enregistre la visite « Visite d'information et de prévention » de Lisa LERGY, tenue le 15/11/2022 par Luc GARNIER

  Plan du Scénario: L'embauche rend due la visite d'information et de prévention : dans les 3 mois, dans les 2 mois pour un apprenti
    Quand Claire embauche Hugo BERNARD, né le 14/06/2004, en <contrat> le 11/05/2026 au poste « <poste> »
    Alors aujourd'hui, les visites dues de Hugo BERNARD, vues par Paul, sont :
      | visite                                | au plus tard le | article  | motif   | en retard |
      | Visite d'information et de prévention | <au plus tard>  | R4624-10 | <motif> | non       |
    Et au <lendemain>, les visites dues de Hugo BERNARD, vues par Paul, sont :
      | visite                                | au plus tard le | en retard |
      | Visite d'information et de prévention | <au plus tard>  | oui       |

    Exemples:
      | contrat  | poste              | au plus tard | lendemain  | motif                                                                                     |
      | CDI      | Vendeur            | 11/08/2026   | 12/08/2026 | Embauche le 11/05/2026 : visite d'information et de prévention dans les 3 mois            |
      | Apprenti | Apprenti boulanger | 11/07/2026   | 12/07/2026 | Embauche le 11/05/2026 : visite d'information et de prévention dans les 2 mois (apprenti) |

  Scénario: Un poste de nuit rend due la visite d'information et de prévention avant l'affectation
    Quand Claire déclare le déterminant « Travailleur de nuit » de Lisa LERGY à partir du 01/06/2026
    Alors aujourd'hui, les visites dues de Lisa LERGY, vues par Paul, sont :
      | visite                                | au plus tard le | article  | motif                                                                                                                        | en retard |
      | Visite d'information et de prévention | 01/06/2026      | R4624-18 | Nouvelle affectation le 01/06/2026 (suivi individuel adapté) : visite d'information et de prévention avant l'affectation au poste | non       |
      | Visite périodique                     | 15/11/2027      | R4624-16 | Dernière visite le 15/11/2022 : renouvellement de la visite d'information et de prévention au plus tard 5 ans après (SI)      | non       |
    Quand le jeudi 28/05/2026 arrive ; chacun se reconnecte au portail
    Et le service enregistre la visite « Visite d'information et de prévention » de Lisa LERGY, tenue le 28/05/2026 par Luc GARNIER
    Alors au 01/06/2026, les visites dues de Lisa LERGY, vues par Paul, sont :
      | visite            | au plus tard le | article  | motif                                                                                                                     | en retard |
      | Visite périodique | 28/05/2029      | R4624-17 | Dernière visite le 28/05/2026 : renouvellement de la visite d'information et de prévention au plus tard 3 ans après (SIA) | non       |

  Scénario: Un poste en suivi renforcé : l'examen d'aptitude avant l'affectation, puis la visite intermédiaire et le renouvellement
    Quand Claire embauche Karim BENALI, né le 03/03/1990, en CDI le 18/05/2026 au poste « Magasinier »
    Et Claire déclare le déterminant « Manutention manuelle habituelle de charges de plus de 55 kg » de Karim BENALI à partir du 18/05/2026
    Alors aujourd'hui, les visites dues de Karim BENALI, vues par Paul, sont :
      | visite                                     | au plus tard le | article  | motif                                                                           | en retard |
      | Examen médical d'aptitude (suivi renforcé) | 18/05/2026      | R4624-24 | Embauche le 18/05/2026 : examen médical d'aptitude avant l'affectation au poste | non       |
    Quand le mercredi 13/05/2026 arrive ; chacun se reconnecte au portail
    Et le service enregistre la visite « Examen médical d'aptitude (suivi renforcé) » de Karim BENALI, tenue le 13/05/2026 par Anne LEFÈVRE
    Alors au 18/05/2026, les visites dues de Karim BENALI, vues par Paul, sont :
      | visite               | au plus tard le | article  | motif                                                                                  | en retard |
      | Visite intermédiaire | 13/05/2028      | R4624-28 | Dernier examen d'aptitude le 13/05/2026 : visite intermédiaire au plus tard 2 ans après | non       |
      | Visite périodique    | 13/05/2030      | R4624-28 | Dernier examen d'aptitude le 13/05/2026 : renouvellement au plus tard 4 ans après      | non       |
    Quand le mardi 02/05/2028 arrive ; chacun se reconnecte au portail
    Et le service enregistre la visite « Visite intermédiaire » de Karim BENALI, tenue le 02/05/2028 par Luc GARNIER
    Alors aujourd'hui, les visites dues de Karim BENALI, vues par Paul, sont :
      | visite            | au plus tard le | article  | motif                                                                             | en retard |
      | Visite périodique | 13/05/2030      | R4624-28 | Dernier examen d'aptitude le 13/05/2026 : renouvellement au plus tard 4 ans après | non       |

  Plan du Scénario: La reprise après une absence rend due la visite de reprise, au plus tard 8 jours après
    Soit Paul déclare l'absence de Lisa LERGY à partir du <premier jour>, pour <cause>
    Quand Paul déclare la reprise de Lisa LERGY le <reprise>
    Alors aujourd'hui, les visites dues de Lisa LERGY, vues par Paul, sont :
      | visite            | au plus tard le | article  | motif                                                                                                          | en retard |
      | Visite de reprise | <au plus tard>  | R4624-31 | Reprise le <reprise> après <jours> jours d'absence : visite de reprise le jour de la reprise, au plus tard 8 jours après | non       |
      | Visite périodique | 15/11/2027      | R4624-16 | Dernière visite le 15/11/2022 : renouvellement de la visite d'information et de prévention au plus tard 5 ans après (SI) | non       |
    Et aucun motif des visites dues de Lisa LERGY, vues par Paul, ne dit la cause de son absence

    Exemples:
      | cause                   | premier jour | reprise    | jours | au plus tard |
      | congé de maternité      | 02/02/2026   | 11/05/2026 | 98    | 19/05/2026   |
      | maladie professionnelle | 27/04/2026   | 06/05/2026 | 9     | 14/05/2026   |
      | accident du travail     | 06/04/2026   | 06/05/2026 | 30    | 14/05/2026   |
      | autre absence           | 06/03/2026   | 05/05/2026 | 60    | 13/05/2026   |

  Plan du Scénario: Une absence plus courte n'appelle pas de visite de reprise
    Soit Paul déclare l'absence de Lisa LERGY à partir du <premier jour>, pour <cause>
    Quand Paul déclare la reprise de Lisa LERGY le <reprise>
    Alors aujourd'hui, les visites dues de Lisa LERGY, vues par Paul, sont :
      | visite            | au plus tard le | article  |
      | Visite périodique | 15/11/2027      | R4624-16 |

    Exemples:
      | cause               | premier jour | reprise    |
      | accident du travail | 07/04/2026   | 06/05/2026 |
      | autre absence       | 07/03/2026   | 05/05/2026 |

  Scénario: Un rendez-vous manqué sans annulation est facturé à l'employeur, sans nommer le salarié
    Soit le service a renseigné ses coordonnées de vendeur
    Et le service a fixé les conditions de facturation 2026 : droit d'adhésion 13 € HT, paiement à 30 jours, abattement de 7 % pour un prélèvement au plus tard le 15/02/2026
    Et le service facture les absences aux visites : 50 € HT
    Et le service a ouvert le centre de visite « Centre Dijon Toison d'Or », 12 boulevard de Champagne, 21000 DIJON, téléphone 03 80 00 00 00, du lundi au vendredi
    Et Paul demande une visite périodique pour Lisa LERGY, à prévoir du 11/05/2026 au 15/05/2026, motif « Renouvellement du suivi individuel »
    Et le service convoque Lisa LERGY le mardi 12/05/2026 de 9 h 00 à 9 h 30 avec Anne LEFÈVRE, au « Centre Dijon Toison d'Or »
    Et le mardi 12/05/2026 arrive ; chacun se reconnecte au portail
    Quand le service note que Lisa LERGY a manqué son rendez-vous
    Alors le rendez-vous est enregistré
    Et les factures de « Boulangerie des Ducs », vues par Claire, sont :
      | N°       | Type de facture              | Date       | Échéance   | Montant HT | TVA     | Montant TTC | Statut     |
      | F0000001 | Frais d'absence à une visite | 12/05/2026 | 11/06/2026 | 50,00 €    | 10,00 € | 60,00 €     | non réglée |
    Et la facture F0000001, téléchargée par Claire, porte la ligne « Absence non excusée au rendez-vous du 12/05/2026 (Visite périodique) »
    Et Claire est prévenue par e-mail que la facture F0000001 est disponible :
      """
      Frais d'absence à une visite n° F0000001 (60,00 € TTC, échéance le 11/06/2026)
      """
    Et la facture F0000001, vue par Claire, ne nomme pas Lisa LERGY : ni « Mes factures », ni son PDF, ni son XML, ni l'e-mail qui l'annonce
