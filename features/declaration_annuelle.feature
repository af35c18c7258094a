# language: fr
Fonctionnalité: La déclaration annuelle, de l'ouverture de la campagne à la confirmation
  Chaque année, le service ouvre la campagne de déclaration avec ses tarifs : la cotisation par
  salarié et le prix de l'outil d'évaluation des risques (noa), une option payante. L'adhérent
  suit ensuite, dans l'ordre, les étapes de sa déclaration (guide de la déclaration annuelle) :
  1 informations administratives, 2 utilisateurs et contacts, 3 effectif, 4 informations de
  prévention, 5 risques dans l'entreprise, 6 à 8 outil d'évaluation des risques (facultatif),
  9 situations de travail et agents CMR, 10 récapitulatif.
  L'effectif facturé est compté à la date de référence de la campagne, par défaut le 31 décembre
  de l'année d'avant ; ni les intérimaires ni les stagiaires ne sont facturés. La TVA est de 20 %.
  Une déclaration confirmée est transmise au service telle quelle : une copie figée de tout ce
  qui est déclaré, avec son empreinte, que rien de ce qui arrive ensuite ne modifie.

  Contexte:
    Soit le service a enregistré l'adhérent « 00021 », raison sociale « Boulangerie des Ducs », et lui a envoyé par courrier le n° télédéclarant « 48151623 »
    Et Claire DURAND, gérante, a pour adresse e-mail « claire.durand@boulangerie-des-ducs.fr »
    Et Claire est administratrice de « Boulangerie des Ducs »
    Et Claire a enregistré les salariés de « Boulangerie des Ducs » :
      | salarié         | sexe | né(e) le   | contrat  | embauché(e) le | poste               |
      | Lisa LERGY      | F    | 12/12/1995 | CDI      | 27/09/2022     | Boulangère          |
      | Martin MARTIN   | M    | 01/01/1970 | CDI      | 19/07/2024     | Vendeur             |
      | Sam PICQ        | M    | 05/11/1998 | Apprenti | 27/10/2022     | Apprenti boulanger  |
      | Colette STEROLL | F    | 02/04/2002 | Intérim  | 01/12/2025     | Vendeuse            |
      | Hugo BERNARD    | M    | 14/06/2005 | Stage    | 01/12/2025     | Stagiaire pâtissier |
      | Nina ROUX       | F    | 08/03/1990 | CDI      | 02/03/2026     | Pâtissière          |

  Scénario: Le service ouvre la campagne 2026 ; l'effectif facturé sera celui du 31 décembre 2025
    Quand le service ouvre la campagne 2026 le 05/01/2026, à rendre au plus tard le 27/02/2026, à 79 € HT par salarié et 150 € HT par an pour l'outil d'évaluation des risques
    Alors les campagnes, vues par Claire, sont :
      | année | ouverture  | date limite | par salarié | outil       | effectif facturé au |
      | 2026  | 05/01/2026 | 27/02/2026  | 79,00 € HT  | 150,00 € HT | 31/12/2025          |
    Et la liste des déclarations de « Boulangerie des Ducs », vue par Claire, est :
      | année | version | statut    |
      | 2026  | 1       | à saisir  |
    Et les étapes de la déclaration 2026, vues par Claire, sont :
      | étape | intitulé                            | ouverte | validée |
      | 1     | informations administratives        | oui     | non     |
      | 2     | utilisateurs et contacts            | non     | non     |
      | 3     | effectif                            | non     | non     |
      | 4     | informations de prévention          | non     | non     |
      | 5     | risques dans votre entreprise       | non     | non     |
      | 6 à 8 | outil d'évaluation des risques      | non     | non     |
      | 9     | situations de travail et agents CMR | non     | non     |
      | 10    | récapitulatif                       | non     | non     |

  @toute_heure
  Scénario: Claire fait la déclaration 2026 de la boulangerie, de l'étape 1 à la confirmation
    Soit le service a ouvert la campagne 2026 : 79 € HT par salarié, outil d'évaluation des risques à 150 € HT par an
    # Étape 1 : informations administratives
    Quand Claire confirme les informations générales : SIRET « 732 829 320 00074 », pas de CSE
    Et Claire confirme les adresses de l'entreprise :
      | adresse                            | rue                        | code postal | ville | marqueur sur la carte |
      | du lieu de travail de vos salariés | 53 Avenue Françoise Giroud | 21000       | DIJON | 47.3165, 5.0670       |
      | de facturation                     | 53 Avenue Françoise Giroud | 21000       | DIJON |                       |
      | de convocation                     | 53 Avenue Françoise Giroud | 21000       | DIJON |                       |
    Et Claire valide l'étape 1
    Alors l'étape 1 est validée et l'étape 2 est ouverte
    # Étape 2 : utilisateurs et contacts
    Quand Claire désigne comme représentant légal le contact Claire DURAND, gérante, joignable au « 03 80 77 85 30 »
    Et Claire valide l'étape 2
    Alors l'étape 2 est validée et l'étape 3 est ouverte
    # Étape 3 : effectif
    Quand Claire valide l'étape 3
    Alors l'étape 3 est validée et l'étape 4 est ouverte
    # Étape 4 : informations de prévention
    Quand Claire répond à toutes les questions des six thèmes de prévention
    Et Claire valide l'étape 4
    Alors l'étape 4 est validée et l'étape 5 est ouverte
    # Étape 5 : risques dans l'entreprise
    Et les risques suggérés d'après les postes des salariés sont :
      | Manutention de charges         |
      | Station debout prolongée       |
      | Ambiance thermique : chaleur   |
      | Poussières et aérosols         |
      | Travail de nuit                |
      | Horaires atypiques             |
      | Violences externes             |
      | Explosion (ATEX)               |
      | Brûlures                       |
    Quand Claire ajoute le risque « Manutention de charges »
    Et Claire ajoute le risque « Travail de nuit »
    Et Claire décline le risque suggéré « Violences externes »
    Et Claire valide l'étape 5
    Alors l'étape 5 est validée et l'étape 9 est ouverte
    Et les risques suggérés d'après les postes des salariés ne proposent plus « Manutention de charges », « Travail de nuit » ni « Violences externes »
    # Étapes 6 à 8 : outil d'évaluation des risques
    Quand Claire active l'outil d'évaluation des risques
    # Étape 9 : situations de travail et agents CMR
    Et Claire affecte la situation de travail « Travailleur de nuit » à Lisa LERGY, depuis le 27/09/2022
    Et Claire cherche « acryl » parmi les substances CMR et ajoute « Acrylamide » à Sam PICQ, exposé depuis le 01/09/2025
    Et Claire valide l'étape 9
    Alors l'étape 9 est validée et l'étape 10 est ouverte
    # Étape 10 : récapitulatif
    Et le récapitulatif de la déclaration 2026 montre :
      | Effectif déclaré               | 6                                     |
      | Effectif déclaré en date du    | aujourd'hui                           |
      | Suivi                          | SI 4, SIA 1, SIR 1                    |
      | Contrats                       | CDI 3, Apprenti 1, Intérim 1, Stage 1 |
      | Effectif facturé               | 3                                     |
      | Effectif facturé en date du    | 31/12/2025                            |
      | Cotisation par salarié         | 79,00 € HT                            |
      | Outil d'évaluation des risques | 150,00 € HT                           |
      | Montant HT                     | 387,00 €                              |
      | TVA 20 %                       | 77,40 €                               |
      | Montant TTC                    | 464,40 €                              |
    Quand Claire relie le n° de bon de commande « BC-2026-017 »
    Et Claire accepte les conditions de vente de l'outil d'évaluation des risques
    Et Claire valide définitivement la déclaration 2026
    Alors la modification de l'étape est enregistrée
    Et la liste des déclarations de « Boulangerie des Ducs », vue par Claire, est :
      | année | version | statut    |
      | 2026  | 1       | confirmée |
    Et la version 1 confirmée a son empreinte SHA-256 et est intacte
    Et la version 1 transmise au service déclare :
      | Effectif déclaré       | 6                                             |
      | Effectif facturé       | 3                                             |
      | Montant TTC            | 464,40 €                                      |
      | Outil d'évaluation     | activé, conditions de vente acceptées         |
      | Bon de commande        | BC-2026-017                                   |
      | Risques                | Manutention de charges, Travail de nuit       |
      | Risques déclinés       | Violences externes                            |
      | Salariés en SIA        | Lisa LERGY                                    |
      | Salariés en SIR        | Sam PICQ                                      |
      | Lieu de travail        | 53 Avenue Françoise Giroud, 21000 DIJON, confirmée sur la carte |
    Et la liste CMR transmise avec la version 1 est :
      | salarié  | agent      | n° CAS  | depuis     | jusqu'au |
      | Sam PICQ | Acrylamide | 79-06-1 | 01/09/2025 |          |

  Scénario: Sans l'outil d'évaluation, seule la cotisation des salariés facturés est due
    Soit le service a ouvert la campagne 2026 : 79 € HT par salarié, outil d'évaluation des risques à 150 € HT par an
    Et Claire a validé les étapes 1 à 5 de la déclaration 2026
    Quand Claire n'active pas l'outil d'évaluation des risques
    Et Claire valide l'étape 9
    Alors le récapitulatif de la déclaration 2026 montre :
      | Effectif facturé               | 3          |
      | Outil d'évaluation des risques | non activé |
      | Montant HT                     | 237,00 €   |
      | TVA 20 %                       | 47,40 €    |
      | Montant TTC                    | 284,40 €   |
    Quand Claire accepte les conditions de vente de l'outil d'évaluation des risques
    Alors la demande est refusée avec le code NO_TERMS_TO_ACCEPT
    Et le message affiché contient « Les conditions de vente concernent l'outil d'évaluation, qui n'est pas activé. »

  Scénario: La déclaration ne peut être confirmée sans accepter les conditions de vente de l'outil activé
    Soit le service a ouvert la campagne 2026 : 79 € HT par salarié, outil d'évaluation des risques à 150 € HT par an
    Et Claire a validé les étapes 1 à 9 de la déclaration 2026
    Quand Claire valide définitivement la déclaration 2026
    Alors la demande est refusée avec le code TERMS_NOT_ACCEPTED
    Et le message affiché contient « Acceptez les conditions de vente de l'outil d'évaluation des risques. »
    Et la liste des déclarations de « Boulangerie des Ducs », vue par Claire, est :
      | année | version | statut   |
      | 2026  | 1       | en cours |

  Scénario: Une embauche après la confirmation ne change pas la déclaration transmise
    Soit le service a ouvert la campagne 2026 : 79 € HT par salarié, outil d'évaluation des risques à 150 € HT par an
    Et Claire a confirmé la déclaration 2026, outil d'évaluation compris
    Quand Claire embauche Paul MOREAU en CDI, embauché le 01/10/2026, au poste « Vendeur »
    Alors le récapitulatif de la déclaration 2026 montre :
      | Effectif déclaré | 7 |
    Mais la version 1 transmise au service n'a pas changé : même copie, même empreinte, toujours intacte
    Et la version 1 transmise au service déclare :
      | Effectif déclaré | 6        |
      | Montant TTC      | 464,40 € |
    Et Paul MOREAU ne figure pas dans la version 1 transmise au service

  Scénario: La liste CMR transmise est celle du jour de la confirmation
    Soit le service a ouvert la campagne 2026 : 79 € HT par salarié, outil d'évaluation des risques à 150 € HT par an
    Et Claire a validé les étapes 1 à 9 de la déclaration 2026
    Et Claire déclare l'exposition de Sam PICQ à la substance « Acrylamide », n° CAS « 79-06-1 », depuis le 01/09/2025
    Et Claire accepte les conditions de vente de l'outil d'évaluation des risques
    Et Claire valide définitivement la déclaration 2026
    Quand Claire déclare l'exposition de Lisa LERGY à la substance « Formaldéhyde », n° CAS « 50-00-0 », depuis le 01/02/2026
    Et Claire met fin à l'exposition de Sam PICQ à « Acrylamide », dernier jour le 30/09/2026
    Alors la liste CMR de « Boulangerie des Ducs », aujourd'hui, est :
      | salarié    | agent        | n° CAS  | depuis     | jusqu'au |
      | Lisa LERGY | Formaldéhyde | 50-00-0 | 01/02/2026 |          |
    Mais la liste CMR transmise avec la version 1 est toujours :
      | salarié  | agent      | n° CAS  | depuis     | jusqu'au |
      | Sam PICQ | Acrylamide | 79-06-1 | 01/09/2025 |          |

  Scénario: Une déclaration confirmée ne se modifie plus
    Soit le service a ouvert la campagne 2026 : 79 € HT par salarié, outil d'évaluation des risques à 150 € HT par an
    Et Claire a confirmé la déclaration 2026, outil d'évaluation compris
    Quand Claire ajoute le risque « Brûlures »
    Alors la demande est refusée avec le code DECLARATION_CONFIRMED
    Et le message affiché contient « Cette déclaration est confirmée : le service peut la rouvrir si besoin. »
